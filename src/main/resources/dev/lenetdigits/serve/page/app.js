// The draw-a-digit page: strokes on a canvas (mouse, pen or finger, through pointer events) are sent as a PNG
// to POST v1/predict while drawing; a photo dropped or picked is sent as it is. The answer's digit, its ten
// probabilities and the 28x28 image the network saw are shown. Plain JavaScript, nothing loaded from elsewhere.
"use strict";

(function () {
  const pad = document.getElementById("pad");
  const ink = pad.getContext("2d");
  const seen = document.getElementById("seen").getContext("2d");
  const digitOut = document.getElementById("digit");
  const confidenceOut = document.getElementById("confidence");
  const statusOut = document.getElementById("status");
  const bars = document.getElementById("bars");
  const keybox = document.getElementById("keybox");
  const drop = document.getElementById("drop");
  const KEY = "lenet-digits-api-key";

  // ---- the ten bars -------------------------------------------------------------------------------------
  const rows = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement("li");
    li.innerHTML = '<span class="label"></span><span class="track"><span class="bar"></span></span><span class="value"></span>';
    li.querySelector(".label").textContent = String(d);
    li.dataset.digit = String(d);
    bars.appendChild(li);
    rows.push(li);
  }

  function showBars(probabilities, best) {
    rows.forEach((li, d) => {
      const p = probabilities ? probabilities[d] : 0;
      li.querySelector(".bar").style.width = (100 * p).toFixed(1) + "%";
      li.querySelector(".value").textContent = probabilities ? (100 * p).toFixed(1) + "%" : "";
      li.classList.toggle("top", d === best);
    });
  }

  function showSeen(pixels) {
    const image = seen.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = pixels ? pixels[i] : 0;
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    seen.putImageData(image, 0, 0);
  }

  function setStatus(text, isError) {
    statusOut.textContent = text;
    statusOut.classList.toggle("error", !!isError);
  }

  function clearAnswer(text) {
    digitOut.textContent = "?";
    confidenceOut.textContent = "";
    showBars(null, -1);
    showSeen(null);
    setStatus(text, false);
  }

  // ---- asking the server --------------------------------------------------------------------------------
  let inFlight = false;
  let again = null; // the latest body to send once the request in flight is answered
  let pendingForKey = null; // the body refused for want of a key, sent again once one is given

  function predict(body) {
    if (inFlight) {
      again = body;
      return;
    }
    inFlight = true;
    document.body.dataset.state = "busy";
    const headers = { "Content-Type": body.type && body.type.startsWith("image/") ? body.type : "image/png" };
    const key = sessionStorage.getItem(KEY);
    if (key) {
      headers["Authorization"] = "Bearer " + key;
    }
    fetch("v1/predict", { method: "POST", headers: headers, body: body })
      .then((response) => response.json().then((json) => ({ status: response.status, json: json })))
      .then(({ status, json }) => show(status, json, body))
      .catch((e) => setStatus("The server did not answer (" + e.message + ").", true))
      .finally(() => {
        inFlight = false;
        if (again) {
          const next = again;
          again = null;
          predict(next);
        } else {
          document.body.dataset.state = "idle";
        }
      });
  }

  function show(status, json, body) {
    if (status === 200) {
      digitOut.textContent = String(json.digit);
      confidenceOut.textContent = (100 * json.probability).toFixed(1) + "%";
      showBars(json.probabilities, json.digit);
      showSeen(json.image);
      setStatus("The network reads a " + json.digit + ".", false);
    } else if (status === 401) {
      keybox.hidden = false;
      pendingForKey = body;
      clearAnswer("");
      setStatus(json.error, true);
    } else if (status === 422 && /no ink/.test(json.error || "")) {
      clearAnswer("No digit yet: draw one, or use a photo with more contrast.");
    } else {
      clearAnswer("");
      setStatus(json.error || "Error " + status, true);
    }
  }

  keybox.addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById("key").value.trim());
    keybox.hidden = true;
    if (pendingForKey) {
      predict(pendingForKey);
      pendingForKey = null;
    }
  });

  function sendDrawing() {
    pad.toBlob((blob) => blob && predict(blob), "image/png");
  }

  // ---- drawing ------------------------------------------------------------------------------------------
  let drawing = false;
  let last = null;
  let scheduled = false;

  function resetPad() {
    ink.fillStyle = "#fff";
    ink.fillRect(0, 0, pad.width, pad.height);
    ink.strokeStyle = "#000";
    ink.fillStyle = "#000";
    ink.lineWidth = pad.width / 14;
    ink.lineCap = "round";
    ink.lineJoin = "round";
  }

  function at(event) {
    const r = pad.getBoundingClientRect();
    return { x: (event.clientX - r.left) * pad.width / r.width, y: (event.clientY - r.top) * pad.height / r.height };
  }

  // at most one drawing sent per animation frame, and one request in flight (see predict)
  function scheduleSend() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        sendDrawing();
      });
    }
  }

  pad.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = true;
    last = at(e);
    ink.beginPath();
    ink.arc(last.x, last.y, ink.lineWidth / 2, 0, 2 * Math.PI);
    ink.fill();
    scheduleSend();
  });

  pad.addEventListener("pointermove", (e) => {
    if (!drawing) {
      return;
    }
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    ink.beginPath();
    ink.moveTo(last.x, last.y);
    for (const c of events.length ? events : [e]) {
      last = at(c);
      ink.lineTo(last.x, last.y);
    }
    ink.stroke();
    scheduleSend();
  });

  function endStroke() {
    if (drawing) {
      drawing = false;
      scheduleSend();
    }
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  document.getElementById("clear").addEventListener("click", () => {
    resetPad();
    again = null;
    clearAnswer("Waiting for a digit.");
  });

  // ---- photos: picked or dropped ------------------------------------------------------------------------
  function usePhoto(file) {
    if (!file) {
      return;
    }
    setStatus("Reading " + file.name + "…", false);
    predict(file); // the original bytes: the server brings the picture to MNIST's form itself
    const url = URL.createObjectURL(file);
    const picture = new Image();
    picture.onload = () => {
      resetPad();
      const scale = Math.min(pad.width / picture.width, pad.height / picture.height);
      const w = picture.width * scale;
      const h = picture.height * scale;
      ink.drawImage(picture, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
      URL.revokeObjectURL(url);
    };
    picture.onerror = () => URL.revokeObjectURL(url);
    picture.src = url;
  }

  document.getElementById("photo").addEventListener("change", (e) => {
    usePhoto(e.target.files[0]);
    e.target.value = "";
  });

  document.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.hidden = false;
  });
  document.addEventListener("dragleave", (e) => {
    if (e.relatedTarget === null) {
      drop.hidden = true;
    }
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.hidden = true;
    usePhoto(e.dataTransfer.files[0]);
  });

  resetPad();
  clearAnswer("Waiting for a digit.");
  document.body.dataset.state = "idle";
})();

#!/usr/bin/env bash
# Usage: make-fixtures.sh JAR OUT_DIR
# Writes the compatibility fixtures into OUT_DIR (empty or new) with the lenet-digits jar of the commit whose
# files they stand for (11e5daa: the last commit before the code was reorganised). Small on purpose: one or
# two epochs on the 300 fixture digits. CompatibilityTest builds that jar from the commit and runs this.
set -euo pipefail
jar=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
cd "$2"
train=$here/../kaggle/train-300.csv
run() { java -jar "$jar" "$@" --threads 2 --device cpu; }

run train --train $train --model lenet.pt --epochs 1
run train --train $train --model lenet-plus-width14.pt --recipe lenet-plus --view width14 --epochs 1
# a single run with checkpoints in bf16, "killed" during its second epoch (the last checkpoint removed);
# resumed, it must end as lenet-deep-bf16.pt
run train --train $train --model lenet-deep-bf16.pt --recipe lenet-deep --precision bf16 --epochs 2 \
    --checkpoint-dir lenet-deep-bf16-ckpt
rm lenet-deep-bf16-ckpt/epoch-0002.ckpt.sha256 lenet-deep-bf16-ckpt/epoch-0002.ckpt
# an ensemble run folder: member 1 finished (its checkpoints gone), member 2 "killed" during its second
# epoch; resumed, it must end as ensemble.pt
run train --train $train --model ensemble.pt --recipe lenet-deep --ensemble 2 --view plain,deskew --epochs 2 \
    --no-restore-best --checkpoint-dir ensemble-ckpt
rm -r ensemble-ckpt/member-01 ensemble-ckpt/member-02.pt
rm ensemble-ckpt/member-02/epoch-0002.ckpt.sha256 ensemble-ckpt/member-02/epoch-0002.ckpt
java -jar "$jar" combine --out mixed.pt lenet-plus-width14.pt lenet-deep-bf16.pt
rm -f ./*.curves.png

java -cp "$jar" "$here/ExpectedProbabilities.java" "$here/../kaggle/test-100.csv" lenet.pt --tta lenet.pt lenet-plus-width14.pt \
    lenet-deep-bf16.pt ensemble.pt mixed.pt

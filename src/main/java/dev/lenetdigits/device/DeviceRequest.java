package dev.lenetdigits.device;

/** What the user asked for with {@code --device}: let the tool choose, or insist on one. */
public enum DeviceRequest {
    AUTO, CPU, CUDA
}

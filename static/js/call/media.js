// This person's own microphone and camera for the call. The browser asks for permission
// only here, and only after a person chose "Join by video" or "Audio only" (or chose it
// before a reload of this tab). If the camera cannot start, the call goes on by audio; a
// device plugged in or pulled out (`devicechange`) swaps the track in place
// (`onTrack` → RTCRtpSender.replaceTrack) without renegotiating.
//
// A camera turned off (by the person, or by a flooding break) is released, not merely
// disabled: a disabled track keeps the camera capturing and its light on. Turning it back
// on opens the camera again and swaps the new track in. The microphone is only disabled,
// so unmuting is instant.

import { gettext, interpolate } from "../i18n.js";

/** Why the call cannot run on this page, in words, or "" when it can. */
export function unsupportedReason() {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return gettext(
      "The call needs a secure (https) address, so it isn't available on this page. The session works as usual.",
    );
  }
  if (typeof window.RTCPeerConnection !== "function") {
    return gettext("This browser can't make calls. The session works as usual.");
  }
  return "";
}

// Modest on purpose: three people in a mesh send two copies of everything.
const VIDEO = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24, max: 30 } };
const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** A getUserMedia failure, in words that say what the person can do. */
export function problemWords(error, kind) {
  const name = error && error.name;
  const camera = kind === "video";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return camera
      ? gettext(
          "Stay wasn't allowed to use your camera. You can allow it in your browser's settings for this site, then try again.",
        )
      : gettext(
          "Stay wasn't allowed to use your microphone. You can allow it in your browser's settings for this site, then try again.",
        );
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return camera ? gettext("No camera was found on this device.") : gettext("No microphone was found on this device.");
  }
  if (name === "NotReadableError" || name === "AbortError") {
    return camera
      ? gettext("Your camera is busy or couldn't start — another app may be using it.")
      : gettext("Your microphone is busy or couldn't start — another app may be using it.");
  }
  return camera ? gettext("Your camera couldn't start.") : gettext("Your microphone couldn't start.");
}

export class LocalMedia {
  /**
   * onTrack(kind, track): a track was replaced (a device change); the peers swap it in.
   * onCameraFailed(): the camera could not be opened again (turned back on, or after its
   * device changed): permission withdrawn or the device gone.
   */
  constructor({ onTrack, onCameraFailed = () => {} }) {
    this.onTrack = onTrack;
    this.onCameraFailed = onCameraFailed;
    this.stream = null;
    this.wantVideo = false;
    // Whether this call has a camera at all (the person joined by video and it started).
    this.hasCamera = false;
    this.enabled = { audio: true, video: true };
    this.reopening = { audio: false, video: false };
    this.onDeviceChange = () => this.refresh();
  }

  track(kind) {
    if (!this.stream) return null;
    return (kind === "audio" ? this.stream.getAudioTracks() : this.stream.getVideoTracks())[0] || null;
  }

  /**
   * Open the microphone (and the camera if `video`). Resolves {video, problem}: `video`
   * whether this call has a camera, `problem` words when the camera could not start but
   * the microphone did. Rejects with words when not even the microphone starts.
   * `cameraOn` false (a reload with the camera chosen off, or during a break): the camera
   * is not started at all now, only when it is turned on.
   */
  async open(video, cameraOn = true) {
    this.wantVideo = video;
    let stream = null;
    let problem = "";
    if (video && !cameraOn) {
      this.enabled.video = false;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO });
      } catch (error) {
        throw new Error(problemWords(error, "audio"));
      }
      this.stream = stream;
      this.hasCamera = true;
      for (const track of stream.getTracks()) this.watch(track);
      navigator.mediaDevices.addEventListener("devicechange", this.onDeviceChange);
      return { video: true, problem };
    }
    if (video) {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO, video: VIDEO });
      } catch (error) {
        if (error && error.name === "NotAllowedError" && !(await this.micAllowed())) {
          throw new Error(problemWords(error, "audio"));
        }
        problem = interpolate(gettext("%(problem)s You're in the call by audio."), {
          problem: problemWords(error, "video"),
        });
      }
    }
    if (!stream) {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO });
      } catch (error) {
        throw new Error(problemWords(error, "audio"));
      }
    }
    this.stream = stream;
    this.hasCamera = Boolean(this.track("video"));
    for (const track of stream.getTracks()) this.watch(track);
    navigator.mediaDevices.addEventListener("devicechange", this.onDeviceChange);
    return { video: this.hasCamera, problem };
  }

  async micAllowed() {
    try {
      const status = await navigator.permissions.query({ name: "microphone" });
      return status.state !== "denied";
    } catch {
      return true;
    }
  }

  watch(track) {
    track.addEventListener("ended", () => this.refresh());
  }

  /**
   * Turn a kind on or off. The microphone's track keeps running (unmuting is instant); the
   * camera's is stopped and dropped, so the camera really stops, and opened again on "on".
   */
  setEnabled(kind, on) {
    this.enabled[kind] = on;
    const track = this.track(kind);
    if (kind === "video" && this.hasCamera) {
      if (!on && track) {
        this.stream.removeTrack(track);
        track.stop();
        this.onTrack("video", null);
      } else if (on && !track && !this.reopening.video) {
        this.reopen("video", null);
      }
      return;
    }
    if (track && track.enabled !== on) track.enabled = on;
  }

  /** After a device change: a track whose device went away is opened again and swapped in. */
  async refresh() {
    if (!this.stream) return;
    let devices = [];
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      return;
    }
    for (const kind of ["audio", "video"]) {
      const track = this.track(kind);
      // A camera turned off has no track on purpose; "on" opens it again.
      if (kind === "video" && !track) continue;
      if (this.reopening[kind]) continue;
      const id = track && track.getSettings ? track.getSettings().deviceId : null;
      const still = devices.some((d) => d.kind === `${kind}input` && (!id || d.deviceId === id));
      if (track && track.readyState === "live" && still) continue;
      await this.reopen(kind, track);
    }
  }

  async reopen(kind, old) {
    let fresh;
    this.reopening[kind] = true;
    try {
      const constraints = kind === "audio" ? { audio: AUDIO } : { video: VIDEO };
      fresh = (await navigator.mediaDevices.getUserMedia(constraints)).getTracks()[0];
    } catch {
      this.reopening[kind] = false;
      // No device of this kind now: the other kind carries on. A camera that was wanted
      // on (and the call still going) says so; a stopped one goes too.
      if (kind === "video" && this.stream && this.enabled.video) this.onCameraFailed();
      return;
    } finally {
      this.reopening[kind] = false;
    }
    // Left the call, or the camera was turned off again while it was starting.
    if (!this.stream || (kind === "video" && !this.enabled.video)) {
      fresh.stop();
      return;
    }
    fresh.enabled = this.enabled[kind];
    if (old && this.stream.getTracks().includes(old)) {
      this.stream.removeTrack(old);
      old.stop();
    }
    const other = this.track(kind);
    if (other) {
      // Something else reopened it meanwhile: keep one track of each kind.
      this.stream.removeTrack(other);
      other.stop();
    }
    this.stream.addTrack(fresh);
    this.watch(fresh);
    this.onTrack(kind, fresh);
  }

  stop() {
    navigator.mediaDevices?.removeEventListener("devicechange", this.onDeviceChange);
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.hasCamera = false;
  }
}

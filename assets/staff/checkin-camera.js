// The check-in camera: reads ticket QR codes from the device camera with jsQR (served by the app from
// the npm package, never a CDN) and hands each code to the page as the global NiceGUI event "mm-ticket".
// The same code is passed on again only after a pause, so a ticket held still is not re-sent every frame
// (but holding it again later does ask again: the door then hears "already admitted").
window.mmCheckinCamera = (() => {
  const REPEAT_AFTER_MS = 4000;
  const SCAN_EVERY_MS = 200;
  const MAX_WIDTH = 640; // enough for a phone-sized QR; keeps each decode cheap on old phones
  let stream = null;
  let timer = null;
  let last = "";
  let lastAt = 0;

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  async function start(videoId) {
    stop();
    const video = document.getElementById(videoId);
    if (!video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      emitEvent("mm-camera", { ok: false, error: "unsupported" });
      return;
    }
    if (typeof jsQR !== "function") {
      emitEvent("mm-camera", { ok: false, error: "no-decoder" });
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      emitEvent("mm-camera", { ok: false, error: error.name || "denied" });
      return;
    }
    video.srcObject = stream;
    video.setAttribute("playsinline", "");
    await video.play().catch(() => {});
    emitEvent("mm-camera", { ok: true });
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    timer = setInterval(() => {
      if (video.readyState < 2 || !video.videoWidth) return;
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, canvas.width, canvas.height, { inversionAttempts: "attemptBoth" });
      if (!code || !code.data) return;
      const now = Date.now();
      if (code.data === last && now - lastAt < REPEAT_AFTER_MS) return;
      last = code.data;
      lastAt = now;
      emitEvent("mm-ticket", code.data);
    }, SCAN_EVERY_MS);
  }

  window.addEventListener("pagehide", stop);
  return { start, stop };
})();

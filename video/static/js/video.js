// The video room (issue 13): a two-party WebRTC call between the patient's and the practitioner's browsers.
// No ICE servers and no video service: the two browsers exchange their offer, answer and ICE candidates through
// the portal (POST one signal; poll GET ?etter=<cursor> every half second for what the other side sent).
// The practitioner lets the patient in («Slipp inn») and then makes the offer; the patient answers.
// Every signal names the sending page's session and the page it is for, so that what an earlier page of the
// other side sent (before a reload) is ignored. All words come from the page (#video-config).
(function () {
  "use strict";

  var configElement = document.getElementById("video-config");
  if (!configElement) return;
  var config = JSON.parse(configElement.textContent);
  var T = config.texts;
  var isPractitioner = config.role === "practitioner";
  var POLL_MS = 500;

  var el = {
    status: document.getElementById("video-status"),
    admit: document.getElementById("video-admit"),
    remote: document.getElementById("video-remote"),
    local: document.getElementById("video-local"),
    remoteNote: document.getElementById("video-remote-note"),
    camera: document.getElementById("video-camera"),
    microphone: document.getElementById("video-microphone"),
    sound: document.getElementById("video-sound"),
    leave: document.getElementById("video-leave"),
    left: document.getElementById("video-left"),
  };

  var session = newSessionId();
  var cursor = config.cursor;
  var localStream = null;
  var pc = null;
  var otherSession = null;
  var admitted = false; // the patient's page: let in by the practitioner
  var otherLeft = false;
  var left = false;
  var closed = false;
  var pendingCandidates = [];
  var sending = Promise.resolve();
  var remoteMedia = { camera: true, microphone: true };

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  function setStatus(text) {
    if (el.status.textContent !== text) el.status.textContent = text;
  }

  // --- Signalling through the portal ---------------------------------------------------------------------

  function later(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  // A signal lost is a call that never connects: a busy server or a dropped request is tried again.
  function post(kind, payload, attempt) {
    attempt = attempt || 0;
    var retry = function () { return later(250 * (attempt + 1)).then(function () { return post(kind, payload, attempt + 1); }); };
    var body = new URLSearchParams();
    body.set("kind", kind);
    body.set("payload", JSON.stringify(payload));
    return fetch(config.send_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrf, Accept: "application/json" },
      body: body,
    }).then(
      function (response) {
        if (response.status >= 500 && attempt < 4) return retry();
        // Over this side's share for the minute (429): the portal says how long to wait. No wait given: the
        // share of the room is spent, and trying again will not help.
        var wait = Number(response.headers.get("Retry-After"));
        if (response.status === 429 && wait > 0 && attempt < 4) {
          return later(wait * 1000).then(function () { return post(kind, payload, attempt + 1); });
        }
        if (!response.ok) throw new Error("signal " + kind + ": " + response.status);
        return response.json();
      },
      function (error) {
        if (attempt < 4) return retry();
        throw error;
      }
    );
  }

  // One signal at a time, in order: the other side reads them in the order the portal stored them.
  function send(kind, payload) {
    payload = payload || {};
    payload.session = session;
    if (otherSession && payload.to === undefined) payload.to = otherSession;
    sending = sending.then(function () { return post(kind, payload); }).catch(function () {
      setStatus(T.lost);
    });
    return sending;
  }

  function poll() {
    if (left || closed) return;
    var more = false;
    fetch(config.signals_url + "?etter=" + encodeURIComponent(cursor), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("poll: " + response.status);
        return response.json();
      })
      .then(function (data) {
        cursor = data.cursor;
        more = data.signals.length >= 200;
        return data.signals.reduce(function (chain, signal) {
          return chain.then(function () { return handle(signal); }).catch(function () {});
        }, Promise.resolve()).then(function () { applyState(data.state); });
      })
      .catch(function () { setStatus(T.lost); })
      .then(function () {
        if (!left && !closed) window.setTimeout(poll, more ? 0 : POLL_MS);
      });
  }

  function forMe(payload) {
    return payload && payload.to === session;
  }

  function fromOther(payload) {
    return payload && otherSession !== null && payload.session === otherSession;
  }

  function handle(signal) {
    var p = signal.payload || {};
    switch (signal.kind) {
      case "join":
        // The other side (re)opened the room: whatever call there was with its earlier page is over.
        otherSession = p.session;
        otherLeft = false;
        closePeer();
        if (!isPractitioner && admitted) setStatus(T.connecting);
        return null;
      case "leave":
        if (!fromOther(p)) return null;
        closePeer();
        otherLeft = true;
        setStatus(T.other_left);
        if (isPractitioner) el.admit.hidden = true;
        return null;
      case "admit":
        if (!forMe(p)) return null;
        admitted = true;
        otherSession = p.session;
        setStatus(T.connecting);
        return null;
      case "offer":
        // Only from the practitioner's page that joined or let this page in: never a page this one has not met.
        if (!forMe(p) || !fromOther(p)) return null;
        otherSession = p.session;
        admitted = true;
        return answer(p.description);
      case "answer":
        if (!forMe(p) || !fromOther(p) || !pc) return null;
        return pc.setRemoteDescription(p.description).then(flushCandidates);
      case "candidate":
        if (!forMe(p)) return null;
        pendingCandidates.push(p);
        return pc && pc.remoteDescription ? flushCandidates() : null;
      case "media":
        if (!fromOther(p)) return null;
        remoteMedia = { camera: p.camera !== false, microphone: p.microphone !== false };
        showRemoteMedia();
        return null;
      default:
        return null;
    }
  }

  function applyState(state) {
    if (left) return;
    if (state.phase !== "open") {
      closed = true;
      if (!pc) {
        setStatus(T.closed);
        el.camera.disabled = el.microphone.disabled = true;
      }
      return;
    }
    if (!isPractitioner || pc) return;
    el.admit.hidden = !(state.patient_waiting && otherSession);
    if (state.patient_waiting && otherSession) {
      setStatus(T.patient_waiting);
    } else if (state.patient_admitted && otherSession) {
      startCall(); // this page came back to a patient already let in
    } else if (!otherLeft) {
      setStatus(T.no_patient);
    }
  }

  // --- The call ----------------------------------------------------------------------------------------

  function newPeer() {
    closePeer();
    pc = new RTCPeerConnection({ iceServers: [] });
    if (localStream) {
      localStream.getTracks().forEach(function (track) { pc.addTrack(track, localStream); });
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    var peer = pc;
    peer.onicecandidate = function (event) {
      if (event.candidate && peer === pc) send("candidate", { candidate: event.candidate.toJSON() });
    };
    peer.ontrack = function (event) {
      if (peer !== pc) return;
      var stream = event.streams[0] || new MediaStream([event.track]);
      if (el.remote.srcObject !== stream) el.remote.srcObject = stream;
      playRemote();
    };
    peer.onconnectionstatechange = function () {
      if (peer !== pc) return;
      if (peer.connectionState === "connected") {
        setStatus(T.in_call);
        sendMedia();
      } else if (peer.connectionState === "failed" && isPractitioner && !left) {
        setStatus(T.connecting);
        window.setTimeout(function () { if (peer === pc) startCall(); }, 1000);
      }
    };
    pendingCandidates = pendingCandidates.filter(function (c) { return c.session === otherSession; });
    return pc;
  }

  function closePeer() {
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
      pc.close();
      pc = null;
    }
    el.remote.srcObject = null;
    remoteMedia = { camera: true, microphone: true };
    showRemoteMedia();
  }

  function startCall() {
    var peer = newPeer();
    setStatus(T.connecting);
    return peer
      .createOffer()
      .then(function (offer) { return peer.setLocalDescription(offer); })
      .then(function () {
        if (peer === pc) send("offer", { description: peer.localDescription.toJSON() });
      });
  }

  function answer(description) {
    var peer = newPeer();
    setStatus(T.connecting);
    return peer
      .setRemoteDescription(description)
      .then(flushCandidates)
      .then(function () { return peer.createAnswer(); })
      .then(function (reply) { return peer.setLocalDescription(reply); })
      .then(function () {
        if (peer === pc) send("answer", { description: peer.localDescription.toJSON() });
      });
  }

  function flushCandidates() {
    if (!pc || !pc.remoteDescription) return null;
    var peer = pc;
    var ready = pendingCandidates.filter(function (c) { return c.session === otherSession; });
    pendingCandidates = [];
    return Promise.all(
      ready.map(function (c) { return peer.addIceCandidate(c.candidate).catch(function () {}); })
    );
  }

  function playRemote() {
    var playing = el.remote.play();
    if (playing && playing.catch) {
      playing.catch(function () {
        // No sound without a click on this page (the browser's autoplay rule): play muted, offer the sound.
        el.remote.muted = true;
        el.remote.play().catch(function () {});
        if (el.sound) el.sound.hidden = false;
      });
    }
  }

  // --- Camera, microphone, leaving ------------------------------------------------------------------------

  function tracksOf(kind) {
    if (!localStream) return [];
    return kind === "video" ? localStream.getVideoTracks() : localStream.getAudioTracks();
  }

  function isOn(kind) {
    var tracks = tracksOf(kind);
    return tracks.length > 0 && tracks[0].enabled;
  }

  function sendMedia() {
    if (!otherSession || left) return;
    send("media", { camera: isOn("video"), microphone: isOn("audio") });
  }

  function showLocalMedia() {
    el.camera.textContent = isOn("video") ? T.camera_off : T.camera_on;
    el.camera.dataset.on = String(isOn("video"));
    el.microphone.textContent = isOn("audio") ? T.microphone_off : T.microphone_on;
    el.microphone.dataset.on = String(isOn("audio"));
    el.local.classList.toggle("is-off", !isOn("video"));
  }

  function showRemoteMedia() {
    var notes = [];
    if (!remoteMedia.camera) notes.push(T.other_camera_off);
    if (!remoteMedia.microphone) notes.push(T.other_microphone_off);
    el.remoteNote.textContent = notes.length ? " – " + notes.join(" ") : "";
    el.remote.classList.toggle("is-off", !remoteMedia.camera);
  }

  function toggle(kind) {
    var on = !isOn(kind);
    tracksOf(kind).forEach(function (track) { track.enabled = on; });
    showLocalMedia();
    sendMedia();
  }

  function leave() {
    if (left) return;
    send("leave", {});
    left = true;
    closePeer();
    if (localStream) localStream.getTracks().forEach(function (track) { track.stop(); });
    el.local.srcObject = null;
    el.camera.disabled = el.microphone.disabled = el.leave.disabled = true;
    if (el.admit) el.admit.hidden = true;
    setStatus(T.you_left);
    el.left.hidden = false;
  }

  // Closing the tab or going elsewhere is leaving too; a beacon still arrives while the page unloads.
  window.addEventListener("pagehide", function () {
    if (left || !navigator.sendBeacon) return;
    var form = new FormData();
    form.set("kind", "leave");
    form.set("payload", JSON.stringify({ session: session }));
    form.set("csrfmiddlewaretoken", config.csrf);
    navigator.sendBeacon(config.send_url, form);
  });

  el.camera.addEventListener("click", function () { toggle("video"); });
  el.microphone.addEventListener("click", function () { toggle("audio"); });
  el.leave.addEventListener("click", leave);
  if (el.sound) {
    el.sound.addEventListener("click", function () {
      el.remote.muted = false;
      el.remote.play().catch(function () {});
      el.sound.hidden = true;
    });
  }
  if (el.admit) {
    el.admit.addEventListener("click", function () {
      el.admit.hidden = true;
      send("admit", { to: otherSession });
      startCall();
    });
  }

  // --- Start: camera and microphone, then arrive in the room, then listen ----------------------------------

  if (config.phase !== "open") return;
  var media = navigator.mediaDevices && navigator.mediaDevices.getUserMedia
    ? navigator.mediaDevices.getUserMedia({ video: true, audio: true })
    : Promise.reject(new Error("no mediaDevices"));
  media
    .then(function (stream) {
      localStream = stream;
      el.local.srcObject = stream;
      el.camera.disabled = el.microphone.disabled = false;
      showLocalMedia();
    })
    .catch(function () { setStatus(T.no_media); })
    .then(function () { return send("join", { to: null }); })
    .then(poll);
})();

// Live updates for the participant's page: when the workshop changes, fetch the page
// again and show it, unless the person is typing (then offer to show it). Without
// JavaScript the page works the same; it just does not move by itself.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var typing = function () {
    var boxes = document.querySelectorAll("textarea");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value !== "" || document.activeElement === boxes[i]) return true;
    }
    return false;
  };
  var refresh = function () {
    if (typing()) {
      var note = document.getElementById("stale");
      if (note) note.hidden = false;
      return;
    }
    fetch("/p", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        if (!typing()) document.body.replaceWith(doc.body);
      })
      .catch(function () { window.location.reload(); });
  };
  var events = new EventSource("/p/events");
  events.addEventListener("change", refresh);
})();

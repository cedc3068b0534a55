// Live updates for the participant's pages: when the workshop changes, fetch the page
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
    // This very page again: /p, a link's own page or coverage (the queue has no script).
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        // A refusal (the link revoked or expired) is shown as the server words it.
        if (!r.ok) return window.location.reload();
        return r.text().then(function (text) {
          var doc = new DOMParser().parseFromString(text, "text/html");
          // Not every commit changes what this page shows.
          if (doc.body.innerHTML === document.body.innerHTML) return;
          if (typing()) {
            var note = document.getElementById("stale");
            if (note) note.hidden = false;
            return;
          }
          document.body.replaceWith(doc.body);
        });
      })
      // Unreachable (a phone out of range): the stream's next opening catches up.
      .catch(function () {});
  };
  var events = new EventSource("/p/events");
  events.addEventListener("change", refresh);
  // The stream only tells of commits made while it is open: whatever changed before it
  // opened (since the page was made, or while the connection was down or the server
  // restarting) is caught up on each opening.
  events.addEventListener("open", refresh);
  // The stream ends when the link is revoked or expires; the browser would retry it,
  // and after a refusal give up silently, leaving a page that looks alive and no longer
  // is. So on any break ask whether the page is still ours, and if the server says no,
  // show what it says. An unreachable server is retried by the browser as before.
  events.addEventListener("error", function () {
    if (events.readyState === EventSource.CLOSED) {
      window.location.reload();
      return;
    }
    fetch("/p", { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (r.status === 403) window.location.reload(); })
      .catch(function () {});
  });
})();

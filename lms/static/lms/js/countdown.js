// The quiz countdown: shows the time left until the attempt's deadline, read from the
// element's data-deadline (ISO 8601, set by the server). It is a display only: the server
// refuses an answer after the deadline, and a job submits the attempt when it passes.
// A static file, not an inline script: the Content-Security-Policy allows only 'self'.
// Its one sentence comes translated from the page (data-expired-text), so the script needs
// no translation catalogue of its own.
(function () {
  "use strict";
  document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
    var deadline = Date.parse(el.dataset.deadline);
    function tick() {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0) {
        el.classList.add("expired");
        el.textContent = el.dataset.expiredText || "0:00 (time is up)";
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();

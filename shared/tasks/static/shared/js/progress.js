// Live progress bars: every element rendered by the "shared/progress.html" include
// follows its job's server-sent events and updates its <progress> element, its
// message, and the link to the result once the job has succeeded.
// A static file, not an inline script: the Content-Security-Policy forbids inline code.
(function () {
  "use strict";

  var FINAL_STATES = ["succeeded", "failed"];

  function render(widget, job) {
    var bar = widget.querySelector("progress");
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.current;
    } else if (job.percent !== null) {
      bar.max = 100;
      bar.value = job.percent;
    } else {
      bar.removeAttribute("value"); // unknown size: an indeterminate bar
    }
    bar.textContent = job.percent === null ? "" : job.percent + "%";
    widget.dataset.state = job.state;
    widget.querySelector("[data-task-progress-message]").textContent = job.message;
    var link = widget.querySelector("[data-task-progress-result]");
    if (job.state === "succeeded" && job.result_url) {
      link.href = job.result_url;
      link.hidden = false;
    }
  }

  function follow(widget) {
    // The include may appear several times on a page, and this file with it: bind once.
    if (widget.dataset.bound) return;
    widget.dataset.bound = "1";
    if (FINAL_STATES.indexOf(widget.dataset.state) !== -1) return;

    var source = new EventSource(widget.dataset.eventsUrl);
    source.addEventListener("progress", function (event) {
      var job = JSON.parse(event.data);
      render(widget, job);
      // Close on a final state, or EventSource would reconnect when the stream ends.
      if (FINAL_STATES.indexOf(job.state) !== -1) source.close();
    });
  }

  function start() {
    document.querySelectorAll("[data-task-progress]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

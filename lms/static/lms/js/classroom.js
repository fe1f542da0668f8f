// The live classroom in the browser: one WebSocket to /ws/courses/<slug>/live/ (the path is
// in the page's data-socket-path), like a socket.io client's io() and socket.on(...).
// The server sends JSON messages with a "type"; this script changes the page in place.
// The page works without it (its forms POST); with it, answers go over the socket and the
// tallies move as students answer. Text comes from the template's data-* attributes, which
// are translated there, and is written with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("live-classroom");
  if (!root) {
    return;
  }
  var status = root.querySelector(".live-status");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var socket = new WebSocket(scheme + window.location.host + root.dataset.socketPath);

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function updateTally(questionId, tally) {
    root.querySelectorAll('.live-tally[data-question="' + questionId + '"]').forEach(function (list) {
      tally.forEach(function (count, index) {
        var output = list.querySelector('output[data-choice="' + index + '"]');
        if (output) {
          output.textContent = String(count);
        }
      });
    });
  }

  function showAnnouncement(message) {
    var box = root.querySelector(".live-announcements");
    if (!box) {
      return;
    }
    var item = document.createElement("article");
    var heading = document.createElement("h2");
    heading.textContent = box.dataset.heading + ": " + message.title;
    var body = document.createElement("p");
    body.textContent = message.body;
    item.appendChild(heading);
    item.appendChild(body);
    box.prepend(item);
  }

  // A student answers over the socket instead of posting the form.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("live-answer") || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    event.preventDefault();
    var button = event.submitter;
    socket.send(JSON.stringify({
      type: "answer",
      question: Number(form.elements.question.value),
      choice: Number(button.value),
    }));
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    button.setAttribute("aria-pressed", "true");
  });

  socket.addEventListener("open", function () {
    say(status.dataset.connected);
    root.dataset.live = "connected";
  });
  socket.addEventListener("close", function () {
    say(status.dataset.disconnected);
    root.dataset.live = "closed";
  });
  socket.addEventListener("message", function (event) {
    var message = JSON.parse(event.data);
    if (message.type === "tally") {
      updateTally(message.question, message.tally);
    } else if (message.type === "announcement") {
      showAnnouncement(message);
    } else if (message.type === "error") {
      say(message.detail);
    } else if (message.type === "question" && root.dataset.role === "join") {
      // A new question, or a session opened or closed: the server renders the page again
      // (one template for both ways of arriving at it).
      window.location.reload();
    } else if (message.type === "session_opened" || message.type === "session_closed") {
      window.location.reload();
    }
  });
})();

// Who else has this story open (articles/desk/editing.py): the form tells the
// desk it is still open every 20 seconds, shows who else is on it, and says
// when it is closed. Without JavaScript, the warning on opening still holds.
(function () {
  "use strict";

  function start() {
    const banner = document.getElementById("editing-now");
    const form = document.getElementById("article_form");
    if (!banner || !form) return;
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    const url = banner.dataset.url;
    const label = banner.dataset.label;
    // This opening of the form: a beat still on its way when it closes is
    // known by it, and does not bring the editor back.
    const page = window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random());

    function body(extra) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      data.append("page", page);
      if (extra) data.append(extra, "1");
      return data;
    }

    function show(others) {
      if (!others.length) { banner.hidden = true; banner.textContent = ""; return; }
      banner.textContent = others
        .map((o) => label.replace("{name}", o.name).replace("{since}", o.since))
        .join(" · ");
      banner.hidden = false;
    }

    function beat() {
      fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => { if (answer) show(answer.others); })
        .catch(() => {});
    }

    beat();
    setInterval(beat, 20000);
    window.addEventListener("pagehide", function () {
      if (navigator.sendBeacon) navigator.sendBeacon(url, body("leave"));
    });
  }

  // The admin loads its scripts in <head>: start once the form is there.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

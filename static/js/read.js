// "Đọc nhiều" without tracking (articles/site/reads.py): once the page is seen, one
// beacon naming the story, with no cookie and nothing about the reader. A page opened
// in a background tab and never looked at is not counted; nor a prerendered one.
(function () {
  var script = document.currentScript;
  var address = script && script.getAttribute("data-read");
  if (!address) return;
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    if (navigator.sendBeacon) {
      navigator.sendBeacon(address);
    } else {
      fetch(address, { method: "POST", keepalive: true, credentials: "omit" });
    }
  }
  // Once the page has loaded and the browser is idle: never in the reader's way.
  function soon() {
    (window.requestIdleCallback || setTimeout)(send);
  }
  if (document.readyState === "complete") soon();
  else window.addEventListener("load", soon);
  document.addEventListener("visibilitychange", send);
})();

// A live story's timeline (templates/articles/_live.html) picks up new updates by
// itself: every few seconds it asks for the timeline alone, with the copy it has
// (a conditional GET: the edge answers 304 while nothing is new), and puts the new
// one in place, telling screen readers how many updates came. It stops when the
// coverage ends, and waits while the page is hidden. Without it the page is whole:
// a reload shows the same.
(function () {
  var section = document.getElementById("dien-bien");
  var address = section && section.getAttribute("data-poll");
  if (!address) return;
  var every = Math.max(1, parseInt(section.getAttribute("data-every"), 10) || 10) * 1000;
  var timer = null;

  function count(node) {
    return node.querySelectorAll(".live-update").length;
  }

  function shown(node) {
    var list = node.querySelector(".live-updates");
    return (list ? list.innerHTML : "") + "|" + node.getAttribute("data-poll");
  }

  var last = null;
  function take(html) {
    if (html === last) return; // the copy it had: nothing new
    last = html;
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("dien-bien");
    if (!fresh || shown(fresh) === shown(section)) return;
    var came = count(fresh) - count(section);
    section.replaceWith(fresh);
    section = fresh;
    var news = section.querySelector(".live-news");
    if (news && came > 0) {
      news.textContent = (news.getAttribute("data-came") || "{n}").replace("{n}", came);
    }
  }

  function poll() {
    timer = null;
    if (document.visibilityState !== "visible") return;
    fetch(address, { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        if (response.ok) return response.text().then(take);
      })
      .catch(function () {})
      .then(function () {
        if (section.getAttribute("data-poll")) timer = setTimeout(poll, every);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && timer === null && section.getAttribute("data-poll")) {
      poll();
    }
  });
  timer = setTimeout(poll, every);
})();

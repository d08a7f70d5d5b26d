// The story's length as it is typed: words (each Vietnamese syllable one, "chữ")
// and reading time, counted as articles/text/words.py counts them on the server,
// which wrote the figure the page opened with.
(function () {
  "use strict";
  const letters = "(?:[\\p{L}\\p{N}]|[\\u0300-\\u036f])+";
  const word = new RegExp(letters + "(?:[-'’]" + letters + "|(?<=\\d)[.,]\\d+)*", "gu");

  function start() {
    const shown = document.getElementById("word-count");
    const form = document.getElementById("article_form");
    if (!shown || !form) return;
    const perMinute = Number(shown.dataset.perMinute) || 220;
    const fields = ["id_headline", "id_sapo"].map((id) => document.getElementById(id));

    function bodyText() {
      const editor = document.querySelector(".field-body [contenteditable=true]");
      if (editor) return editor.innerText;
      const area = document.getElementById("id_body");
      return area ? area.value.replace(/<[^>]*>/g, " ") : "";
    }

    function count() {
      const text = fields.map((f) => (f ? f.value : "")).join(" ") + " " + bodyText();
      const words = (text.match(word) || []).length;
      shown.textContent = shown.dataset.label
        .replace("{words}", words.toLocaleString(document.documentElement.lang || "vi"))
        .replace("{minutes}", String(Math.ceil(words / perMinute)));
    }

    form.addEventListener("input", count);
  }

  // The admin loads its scripts in <head>: start once the form is there.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// The rich-text editor asks window.gettext for its dialogs' words only: its
// buttons' titles and the block menu's words go through the same catalog here
// (locale_contrib/vi/LC_MESSAGES/djangojs.po), so the desk reads them in its language.
(function () {
  "use strict";
  const translate = window.gettext || ((text) => text);

  function apply() {
    document.querySelectorAll(".prose-menubar [title]").forEach((button) => {
      const word = translate(button.title);
      if (word !== button.title) {
        button.title = word;
        button.setAttribute("aria-label", word);
      }
    });
    document.querySelectorAll(".prose-menubar p").forEach((option) => {
      const word = translate(option.textContent);
      if (word !== option.textContent) option.textContent = word;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    // Menus are built when an editor starts, and again as it opens them.
    new MutationObserver(apply).observe(document.body, { childList: true, subtree: true });
    apply();
  });
})();

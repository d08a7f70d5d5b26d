// The picture library's focal point: a click on the picture sets "tâm ảnh"
// (percent across and down, the two number fields, which work without this),
// and a mark shows where it is.
(function () {
  "use strict";

  function start() {
    const picture = document.querySelector(".focal-picture");
    const across = document.getElementById("id_focal_x");
    const down = document.getElementById("id_focal_y");
    if (!picture || !across || !down) return;
    const mark = picture.querySelector(".focal-mark");

    function show() {
      mark.style.left = across.value + "%";
      mark.style.top = down.value + "%";
      mark.hidden = false;
    }

    picture.addEventListener("click", (event) => {
      const box = picture.querySelector("img").getBoundingClientRect();
      const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 100)));
      across.value = percent(event.clientX - box.left, box.width);
      down.value = percent(event.clientY - box.top, box.height);
      show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

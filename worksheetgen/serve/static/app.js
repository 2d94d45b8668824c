// A few lines of progressive enhancement: the page works without them.
// 1. A progress note with a seconds count while anything is built (downloads included:
//    the server sets a cookie naming this submit's token when the file is sent).
// 2. Clicking an error or a checklist item selects that line of the content box.
"use strict";
(function () {
  const form = document.getElementById("form");
  const progress = document.getElementById("progress");
  if (!form || !progress) return;
  const DONE = "worksheetgen-done=";
  let timer = null;

  function stop() {
    clearInterval(timer);
    timer = null;
    progress.hidden = true;
    form.classList.remove("busy");
  }

  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    const token = Math.random().toString(36).slice(2, 12) || "t";
    form.elements.token.value = token;
    document.getElementById("busy-what").textContent = (button && button.dataset.busy) || "Working";
    const started = Date.now();
    const seconds = document.getElementById("busy-seconds");
    seconds.textContent = "0";
    progress.hidden = false;
    form.classList.add("busy");
    clearInterval(timer);
    timer = setInterval(function () {
      seconds.textContent = String(Math.round((Date.now() - started) / 1000));
      if (document.cookie.split("; ").indexOf(DONE + token) >= 0) {
        document.cookie = DONE + "; max-age=0; samesite=strict";
        stop();
      }
    }, 250);
  });
  window.addEventListener("pageshow", stop);

  const box = document.getElementById("yaml");
  document.querySelectorAll("[data-line]").forEach(function (item) {
    item.classList.add("jump");
    item.addEventListener("click", function () {
      const own = document.getElementById("own");
      if (!box || !own) return;
      own.open = true;
      const lines = box.value.split("\n");
      const line = Math.min(Number(item.dataset.line), lines.length);
      const start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
      box.focus();
      box.setSelectionRange(start, start + lines[line - 1].length);
      const height = box.scrollHeight / Math.max(lines.length, 1);
      box.scrollTop = Math.max(0, (line - 4) * height);
    });
  });
})();

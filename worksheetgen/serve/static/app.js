// A few lines of progressive enhancement: the page works without them.
// 1. A progress note with a seconds count while anything is built. Downloads are fetched
//    here, so the note goes away when the file arrives (a plain form cannot tell).
// 2. Clicking an error or a checklist item selects that line of the content box.
"use strict";
(function () {
  const form = document.getElementById("form");
  const progress = document.getElementById("progress");
  if (!form || !progress) return;
  const DOWNLOADS = /^(pack|sheets|batch|one:)/;
  const what = document.getElementById("busy-what");
  const seconds = document.getElementById("busy-seconds");
  let timer = null;

  function start(label) {
    what.textContent = label || "Working";
    const started = Date.now();
    seconds.textContent = "0";
    progress.hidden = false;
    form.classList.add("busy");
    clearInterval(timer);
    timer = setInterval(function () {
      seconds.textContent = String(Math.round((Date.now() - started) / 1000));
    }, 250);
  }

  function stop() {
    clearInterval(timer);
    progress.hidden = true;
    form.classList.remove("busy");
  }

  function fileName(disposition) {
    const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
    if (utf8) return decodeURIComponent(utf8[1]);
    const plain = /filename="([^"]+)"/i.exec(disposition || "");
    return plain ? plain[1] : "worksheets.zip";
  }

  async function download(button) {
    const data = new FormData(form);
    data.append(button.name, button.value);
    try {
      // form.action would be the buttons named "action": read the attribute
      const response = await fetch(form.getAttribute("action") || "/", { method: "POST", body: data });
      if ((response.headers.get("content-type") || "").startsWith("text/html")) {
        const page = await response.text(); // the page again, with the messages saying what to fix
        document.open();
        document.write(page);
        document.close();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = fileName(response.headers.get("content-disposition"));
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      stop();
    } catch (error) {
      clearInterval(timer);
      what.textContent = "The server did not answer: is worksheetgen serve still running? Try again";
    }
  }

  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    start(button && button.dataset.busy);
    if (button && DOWNLOADS.test(button.value) && window.fetch) {
      event.preventDefault();
      download(button);
    }
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

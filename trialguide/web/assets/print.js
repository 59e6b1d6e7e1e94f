// The Print button (the self-check's summary, the handout): the browser's print window. Some
// in-app browsers (WeChat's) have none and silently do nothing; then the page says so, in the
// status beside the button where there is one. Never write a less-than sign followed by a
// letter in this file (see page.js).
(function () {
  const button = document.getElementById("tg-print");
  if (!button || button.dataset.tgReady) return;
  button.dataset.tgReady = "1";
  button.addEventListener("click", function () {
    let opened = false;
    const seen = function () { opened = true; };
    window.addEventListener("beforeprint", seen);
    window.print();
    // Browsers that print open their window at once (and block until it closes) or right after.
    setTimeout(function () {
      window.removeEventListener("beforeprint", seen);
      const status = document.querySelector(".tg-save-status");
      if (status) status.textContent = opened ? "" : status.dataset.noprint;
    }, 1500);
  });
})();

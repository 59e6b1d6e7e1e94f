document.getElementById("tg-print").addEventListener("click", function () { window.print(); });

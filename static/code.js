// Copy buttons on code blocks. The script adds them, so that a page read
// without JavaScript shows no button that does nothing.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("pre").forEach(function (pre) {
    var block = document.createElement("div");
    block.className = "code-block";
    pre.parentNode.insertBefore(block, pre);
    block.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    var reset = 0;
    function say(text) {
      button.textContent = text;
      clearTimeout(reset);
      reset = setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.textContent.replace(/\n$/, "")).then(
        function () { say("Copied"); },
        function () { say("Press Ctrl+C"); }
      );
    });
    block.appendChild(button);
  });
})();

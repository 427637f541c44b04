/* Authoring pages: only an enhancement, every page works without it.
   A problem's line number moves the cursor to that line of the editor's text. */
(function () {
  "use strict";
  var text = document.getElementById("text");
  if (!text) { return; }

  function lineStart(value, line) {
    var position = 0;
    for (var n = 1; n < line; n += 1) {
      var next = value.indexOf("\n", position);
      if (next === -1) { return value.length; }
      position = next + 1;
    }
    return position;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    if (!link) { return; }
    var line = parseInt(link.getAttribute("data-line"), 10);
    if (!line) { return; }
    event.preventDefault();
    var value = text.value;
    var start = lineStart(value, line);
    var end = value.indexOf("\n", start);
    if (end === -1) { end = value.length; }
    text.focus();
    text.setSelectionRange(start, end);
    // Scroll the box so the chosen line is in view.
    var lineHeight = parseFloat(window.getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 3) * lineHeight);
  });
}());

/* The quiz builder's "Which option is the right answer?" buttons name each option by its
   number and words ("Option 2: Late"), as the page was drawn. While an admin types an
   option's words, its button's label follows them, so they need not count boxes. Only an
   enhancement: without it the labels keep the words as last saved, and the hint says the
   options are numbered as in the boxes above. */
(function () {
  "use strict";
  var LIMIT = 100; /* characters, cut at a word, as the server cuts them */

  function shortWords(text) {
    var words = text.split(/\s+/).filter(Boolean).join(" ");
    if (words.length <= LIMIT) {
      return words;
    }
    var cut = words.slice(0, LIMIT - 1);
    if (words.charAt(LIMIT - 1) !== " ") {
      cut = cut.slice(0, cut.lastIndexOf(" ")) || cut;
    }
    return cut.replace(/[ ,;:.]+$/, "") + "\u2026";
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("fieldset[data-option-words]"),
    function (fieldset) {
      var prefix = fieldset.getAttribute("data-option-words");
      var word = fieldset.getAttribute("data-option-word") || "Option";
      Array.prototype.forEach.call(
        fieldset.querySelectorAll("input[type=radio]"),
        function (radio) {
          var number = parseInt(radio.value, 10);
          var box = document.getElementById(prefix + "-" + number + "-text");
          var label = fieldset.querySelector("label[for='" + radio.id + "']");
          if (!box || !label || isNaN(number)) {
            return;
          }
          box.addEventListener("input", function () {
            var text = shortWords(box.value);
            label.textContent = word + " " + (number + 1) + (text ? ": " + text : "");
          });
        }
      );
    }
  );
}());

/* Quiz pages: before leaving a quiz with answers changed since the page was shown,
   the browser asks whether to leave (its own wording, such as "Changes you made may not
   be saved"). Pressing either of the form's buttons (Check your answers, Save and come
   back later) keeps the answers, so it leaves without asking.
   Only an enhancement: without it, "Save and come back later" still keeps the answers. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form) {
    return;
  }
  var changed = false;
  function noteChange() {
    changed = true;
  }
  form.addEventListener("input", noteChange);
  form.addEventListener("change", noteChange);
  form.addEventListener("submit", function () {
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());

/* Forms marked data-warn-unsaved (a quiz being answered, the lesson and file editors, the
   quiz builder): before leaving the page with changes made since it was shown, the browser
   asks whether to leave (its own wording, such as "Changes you made may not be saved").
   Submitting the form (any of its buttons) keeps the changes, so it leaves without asking.
   Only an enhancement: without it, nothing else changes. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  if (!forms.length) {
    return;
  }
  var changed = false;
  function noteChange() {
    changed = true;
  }
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("input", noteChange);
    form.addEventListener("change", noteChange);
    form.addEventListener("submit", function () {
      changed = false;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());

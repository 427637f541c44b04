/* Forms marked data-tick-count (the dashboard's "Remind the people you ticked"): each
   element marked data-tick-count-output says how many boxes of the form are ticked
   ("3 people ticked"), shown once the script runs and read out by screen readers as it
   changes. Only an enhancement: without it, the form works the same and says nothing. */
(function () {
  "use strict";
  function words(count) {
    if (count === 0) {
      return "No one ticked yet.";
    }
    return count === 1 ? "1 person ticked." : count + " people ticked.";
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-tick-count]"), function (form) {
    var outputs = form.querySelectorAll("[data-tick-count-output]");
    function update() {
      var ticked = form.querySelectorAll("input[type=checkbox]:checked").length;
      Array.prototype.forEach.call(outputs, function (output) {
        output.textContent = words(ticked);
        output.hidden = false;
      });
    }
    form.addEventListener("change", update);
    update();
  });
}());

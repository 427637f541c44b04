/* Forms: when a page shows the error summary, move focus to it, so keyboard and screen
   reader users start from the list of problems, each a link to its field.
   Only an enhancement: without it the summary is still the first thing in the page and
   is announced as an alert. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
}());

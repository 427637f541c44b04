/* Password boxes inside [data-show-password] (sign-in, new and changed passwords): a
   "Show password" button after the box shows what was typed, and then says "Hide password".
   As GOV.UK's password input does, the button's words say what it will do, and a status
   that screen readers announce says whether the password is shown. The box keeps its name
   and autocomplete, and is hidden again before the form is sent, so password managers and
   the browser treat it as a password. Only an enhancement: without this script the page
   has the plain password box and no button. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-show-password] input[type=password]");

  function enhance(input) {
    var row = document.createElement("div");
    row.className = "password-input";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary password-input__toggle";
    button.setAttribute("aria-controls", input.id);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(row, input);
    row.appendChild(input);
    row.appendChild(button);
    row.parentNode.insertBefore(status, row.nextSibling);

    function show(shown, announce) {
      input.type = shown ? "text" : "password";
      button.textContent = shown ? "Hide password" : "Show password";
      if (announce) {
        status.textContent = shown ? "Your password is shown." : "Your password is hidden.";
      }
    }

    show(false, false);
    button.addEventListener("click", function () {
      show(input.type === "password", true);
    });
    if (input.form) {
      input.form.addEventListener("submit", function () {
        show(false, false);
      });
    }
    // Coming back with the browser's Back button shows the page as it was left: hide again.
    window.addEventListener("pageshow", function () {
      show(false, false);
    });
  }

  Array.prototype.forEach.call(boxes, enhance);
}());

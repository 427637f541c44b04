/* Drag and drop for the order of modules and lessons.
   Only an enhancement: every page works without it, and keyboard users use the Move up and
   Move down buttons. Dropping an entry fills the page's hidden order form with the names in
   their new order and sends it: the same server action as the buttons, CSRF token included. */
(function () {
  "use strict";

  function entries(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > .structure-item"));
  }

  function clearMarks(list) {
    entries(list).forEach(function (item) {
      item.classList.remove("structure-item--drop-before", "structure-item--drop-after");
    });
  }

  function isAfter(item, event) {
    var box = item.getBoundingClientRect();
    return event.clientY > box.top + box.height / 2;
  }

  function enhance(list) {
    var form = document.getElementById(list.getAttribute("data-order-form"));
    var items = entries(list);
    if (!form || items.length < 2) {
      return;
    }
    var dragged = null;
    list.classList.add("structure-list--draggable");
    items.forEach(function (item) {
      item.setAttribute("draggable", "true");
      var text = item.querySelector(".structure-item__text");
      if (text) {
        var handle = document.createElement("span");
        handle.className = "structure-item__handle";
        handle.setAttribute("aria-hidden", "true");
        handle.textContent = "\u2630";
        text.insertBefore(handle, text.firstChild);
      }
    });

    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest ? event.target.closest(".structure-item") : null;
      if (!dragged || dragged.parentNode !== list) {
        dragged = null;
        return;
      }
      dragged.classList.add("structure-item--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.getAttribute("data-name"));
    });

    list.addEventListener("dragover", function (event) {
      var over = event.target.closest ? event.target.closest(".structure-item") : null;
      if (!dragged || !over || over.parentNode !== list) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      clearMarks(list);
      if (over !== dragged) {
        over.classList.add(isAfter(over, event) ? "structure-item--drop-after" : "structure-item--drop-before");
      }
    });

    list.addEventListener("dragleave", function (event) {
      if (!list.contains(event.relatedTarget)) {
        clearMarks(list);
      }
    });

    list.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("structure-item--dragging");
      }
      clearMarks(list);
      dragged = null;
    });

    list.addEventListener("drop", function (event) {
      var over = event.target.closest ? event.target.closest(".structure-item") : null;
      if (!dragged || !over || over.parentNode !== list) {
        return;
      }
      event.preventDefault();
      clearMarks(list);
      if (over === dragged) {
        return;
      }
      list.insertBefore(dragged, isAfter(over, event) ? over.nextSibling : over);
      var names = entries(list).map(function (item) { return item.getAttribute("data-name"); });
      form.querySelector("input[name='order']").value = names.join("/");
      list.setAttribute("aria-busy", "true");
      form.submit();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("ol.structure-list[data-order-form]"), enhance);
}());

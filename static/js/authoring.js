/* Authoring pages: only an enhancement, every page works without it.
   - A problem's line number moves the cursor to that line of the editor's text.
   - The lesson editor: a toolbar that adds Markdown to the text, dialogs to pick a
     lesson's section or a picture (alt text required), and a live preview drawn by
     the server as learners will see it. */
(function () {
  "use strict";
  var text = document.getElementById("body") || document.getElementById("text");
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

  function goToLine(box, line) {
    var value = box.value;
    var start = lineStart(value, line);
    var end = value.indexOf("\n", start);
    if (end === -1) { end = value.length; }
    box.focus();
    box.setSelectionRange(start, end);
    // Scroll the box so the chosen line is in view.
    var lineHeight = parseFloat(window.getComputedStyle(box).lineHeight) || 20;
    box.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    if (!link) { return; }
    var line = parseInt(link.getAttribute("data-line"), 10);
    if (!line) { return; }
    var target = document.getElementById((link.getAttribute("href") || "").slice(1)) || text;
    if (target.tagName !== "TEXTAREA") { return; }
    event.preventDefault();
    goToLine(target, line);
  });

  var toolbar = document.querySelector("[data-toolbar]");
  if (!toolbar) { return; }

  /* Inserting text -------------------------------------------------------- */

  // Replace the selection with `before + middle + after`, then select `middle`, so a
  // placeholder such as "Heading" can be typed over at once; with `caretAfter` (a link
  // or a picture, whose words the author chose already), put the cursor after the
  // inserted text instead, so that typing on does not replace the link's words.
  function insert(before, middle, after, caretAfter) {
    var start = text.selectionStart;
    var end = text.selectionEnd;
    text.focus();
    text.setRangeText(before + middle + after, start, end, "end");
    if (!caretAfter) {
      text.setSelectionRange(start + before.length, start + before.length + middle.length);
    }
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // What must come before a block (heading, list, table) so it starts a paragraph of
  // its own: a blank line, unless it is at the very start of the text.
  function blockGap() {
    var before = text.value.slice(0, text.selectionStart);
    if (before === "" || /\n\n$/.test(before)) { return ""; }
    return /\n$/.test(before) ? "\n" : "\n\n";
  }

  function blockEnd() {
    var after = text.value.slice(text.selectionEnd);
    if (after === "") { return "\n"; }
    if (/^\n\n/.test(after)) { return ""; }
    return /^\n/.test(after) ? "\n" : "\n\n";
  }

  function selected() {
    return text.value.slice(text.selectionStart, text.selectionEnd);
  }

  function listOf(lines, numbered) {
    return lines.map(function (line, index) {
      return (numbered ? (index + 1) + ". " : "- ") + line;
    }).join("\n");
  }

  // A list: the selected lines as its items (the cursor after them), or one item whose
  // words are selected to type over, its mark ("- " or "1. ") kept; Enter at the end of
  // an item starts the next one (see continueList).
  function list(numbered, placeholder) {
    if (selected()) {
      insert(blockGap(), listOf(selected().split("\n"), numbered), blockEnd(), true);
      return;
    }
    insert(blockGap() + (numbered ? "1. " : "- "), placeholder, blockEnd());
  }

  // Enter at the end of a list item starts the next item with the same mark (the next
  // number for a numbered list); Enter on an empty item ends the list instead.
  function continueList(event) {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    var at = text.selectionStart;
    if (at !== text.selectionEnd) { return; }
    var lineStart = text.value.lastIndexOf("\n", at - 1) + 1;
    var lineEnd = text.value.indexOf("\n", at);
    if (lineEnd === -1) { lineEnd = text.value.length; }
    if (at !== lineEnd) { return; }
    var item = /^(\s*)(?:([-*])|(\d+)\.) (.*)$/.exec(text.value.slice(lineStart, lineEnd));
    if (!item) { return; }
    event.preventDefault();
    if (item[4].trim() === "") {  // an empty item: end the list, a blank line after it
      text.setRangeText("\n", lineStart, lineEnd, "end");
    } else {
      var mark = item[2] ? item[2] + " " : (parseInt(item[3], 10) + 1) + ". ";
      text.setRangeText("\n" + item[1] + mark, at, at, "end");
    }
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }
  text.addEventListener("keydown", continueList);

  var actions = {
    heading: function () {
      insert(blockGap() + "## ", selected().trim() || "Heading", blockEnd());
    },
    bold: function () { insert("**", selected() || "bold words", "**"); },
    italic: function () { insert("*", selected() || "words in italics", "*"); },
    bullets: function () { list(false, "First point"); },
    numbers: function () { list(true, "First step"); },
    callout: function () {
      var words = selected() || "What the reader must not miss.";
      insert(blockGap() + "!!! note \"Note\"\n    ", words.split("\n").join("\n    "), blockEnd());
    },
    table: function () {
      insert(blockGap(), "| Heading | Heading |\n| --- | --- |\n| Text | Text |\n| Text | Text |", blockEnd());
    }
  };

  /* Dialogs: a lesson's section, a picture ------------------------------- */

  var opener = null;

  function openDialog(id) {
    var dialog = document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") { return false; }
    opener = document.activeElement;
    var words = dialog.querySelector("[data-link-words]");
    if (words) { words.value = selected(); }
    var alt = dialog.querySelector("[data-image-alt]");
    if (alt) { alt.value = ""; showAltError(dialog, false); }
    dialog.showModal();
    return true;
  }

  function showAltError(dialog, show) {
    var error = dialog.querySelector("[data-alt-error]");
    var alt = dialog.querySelector("[data-image-alt]");
    var group = dialog.querySelector("[data-alt-group]");
    if (!error || !alt) { return; }
    error.hidden = !show;
    group.classList.toggle("form-group--error", show);
    if (show) {
      alt.setAttribute("aria-invalid", "true");
      alt.setAttribute("aria-describedby", "image-alt-hint image-alt-error");
    } else {
      alt.removeAttribute("aria-invalid");
      alt.setAttribute("aria-describedby", "image-alt-hint");
    }
  }

  // Markdown brackets in the words would end the link early.
  function linkWords(words) {
    return words.replace(/[\[\]]/g, "").replace(/\s+/g, " ").trim();
  }

  function closeAndReturn(dialog) {
    dialog.close();
    text.focus();
  }

  document.querySelectorAll("form[data-dialog-form]").forEach(function (form) {
    var dialog = form.closest("dialog");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.value !== "insert") {
        event.preventDefault();
        closeAndReturn(dialog);
        return;
      }
      event.preventDefault();
      if (form.getAttribute("data-dialog-form") === "link") {
        var select = form.querySelector("[data-link-target]");
        var option = select.options[select.selectedIndex];
        var words = linkWords(form.querySelector("[data-link-words]").value) ||
          option.getAttribute("data-label");
        closeAndReturn(dialog);
        insert("[", words, "](" + select.value + ")", true);
      } else {
        var alt = form.querySelector("[data-image-alt]");
        var description = linkWords(alt.value);
        if (!description) {
          showAltError(dialog, true);
          alt.focus();
          return;
        }
        var picture = form.querySelector("[data-image-target]").value;
        closeAndReturn(dialog);
        insert(blockGap() + "![", description, "](" + picture + ")" + blockEnd(), true);
      }
    });
    dialog.addEventListener("close", function () {
      if (opener && document.activeElement === document.body) { text.focus(); }
    });
  });

  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var action = actions[button.getAttribute("data-insert")];
    if (action) {
      action();
    } else if (button.getAttribute("data-dialog")) {
      openDialog(button.getAttribute("data-dialog"));
    }
  });
  toolbar.hidden = false;

  /* Live preview ---------------------------------------------------------- */

  var form = document.getElementById("editor-form");
  var preview = document.querySelector("[data-preview]");
  var status = document.querySelector("[data-preview-status]");
  var url = form && form.getAttribute("data-preview-url");
  if (!form || !preview || !url || !window.fetch) { return; }

  var timer = null;
  var asked = 0;

  function refresh() {
    asked += 1;
    var mine = asked;
    var data = new FormData(form);
    data.delete("save");
    data.delete("check");
    // A new picture is uploaded by Preview or Save, not sent again with every keystroke.
    data.delete("picture");
    data.delete("picture_alt");
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { return { ok: response.ok, html: html }; });
      })
      .then(function (answer) {
        if (mine !== asked) { return; }  // a newer preview is on its way
        // The server sanitizes the lesson's HTML exactly as for learners.
        preview.innerHTML = answer.html;
        status.textContent = answer.ok ? "Preview updated." : "The preview could not be updated.";
      })
      .catch(function () {
        if (mine === asked) {
          status.textContent = "The preview could not be updated: press Preview to see it.";
        }
      });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 100);
    }
  });
}());

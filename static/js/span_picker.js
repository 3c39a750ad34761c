/* The newsroom desk (issue 17): pick a claim by selecting its words.
 *
 * - Import preview: the article is shown as text with its candidate claims highlighted; selecting words
 *   adjusts the claim it falls in, adds a claim where there was none, or merges the claims it spans.
 *   Each claim can also be split, trimmed, removed or set by its offsets. The form posts "start:end"
 *   values named "accept", as without JavaScript.
 * - Claim form: the article is shown as text; selecting words fills in Start and End (still editable),
 *   and the span is shown highlighted in its sentence.
 * - Claim form: a warning before leaving the page with unsaved changes.
 *
 * Offsets are counted in Unicode code points, as Python counts them. Selections snap to whole words.
 * Plain script, no inline code: it runs under the Content-Security-Policy (script-src 'self').
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}_'’\-]/u;
  var L = {};

  function loadLabels(labels) {
    if (labels) Object.keys(labels).forEach(function (key) { L[key] = labels[key]; });
  }

  function t(key, fallback) {
    return L[key] || fallback;
  }

  // --- text with offsets in code points --------------------------------------------------------

  function Text(value) {
    this.value = value;
    this.u16 = []; // code point index -> UTF-16 index
    var cp = 0;
    for (var i = 0; i < value.length; cp++) {
      this.u16.push(i);
      i += value.codePointAt(i) > 0xffff ? 2 : 1;
    }
    this.u16.push(value.length);
    this.length = cp;
  }
  Text.prototype.toU16 = function (cp) {
    return this.u16[Math.max(0, Math.min(cp, this.length))];
  };
  Text.prototype.toCp = function (u16) {
    var lo = 0, hi = this.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.u16[mid] <= u16) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  Text.prototype.slice = function (start, end) {
    return this.value.slice(this.toU16(start), this.toU16(end));
  };

  // Snap a selection (UTF-16 offsets) to whole words, without surrounding white space.
  function snap(value, start, end) {
    while (start > 0 && start < value.length && WORD.test(value[start - 1]) && WORD.test(value[start])) start--;
    while (end < value.length && end > 0 && WORD.test(value[end]) && WORD.test(value[end - 1])) end++;
    while (start < end && /\s/.test(value[start])) start++;
    while (end > start && /\s/.test(value[end - 1])) end--;
    return [start, end];
  }

  // The offset (UTF-16) of a DOM position inside container, counting only its text.
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  // The current selection inside container, snapped, in code points; null if there is none.
  function selectionIn(container, text) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    var start = offsetIn(container, range.startContainer, range.startOffset);
    var end = offsetIn(container, range.endContainer, range.endOffset);
    var snapped = snap(text.value, Math.min(start, end), Math.max(start, end));
    if (snapped[1] <= snapped[0]) return null;
    return { start: text.toCp(snapped[0]), end: text.toCp(snapped[1]) };
  }

  // Render text into container, each span as a <mark>; onMark(mark, index) decorates it.
  function render(container, text, spans, onMark) {
    var bounds = [0, text.length];
    spans.forEach(function (s) { bounds.push(s.start, s.end); });
    bounds = Array.from(new Set(bounds)).sort(function (a, b) { return a - b; });
    container.textContent = "";
    for (var i = 0; i + 1 < bounds.length; i++) {
      var a = bounds[i], b = bounds[i + 1];
      var index = spans.findIndex(function (s) { return s.start <= a && b <= s.end; });
      var piece = document.createTextNode(text.slice(a, b));
      if (index === -1) {
        container.appendChild(piece);
      } else {
        var mark = document.createElement("mark");
        mark.appendChild(piece);
        onMark(mark, index, a === spans[index].start);
        container.appendChild(mark);
      }
    }
  }

  function announce(region, message) {
    if (region) region.textContent = message;
  }

  function element(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function showJsOnly(root) {
    root.querySelectorAll("[data-js-only]").forEach(function (node) { node.hidden = false; });
  }

  // --- import preview ----------------------------------------------------------------------------

  function importEditor() {
    var data = document.getElementById("span-editor-data");
    var container = document.getElementById("span-text");
    var list = document.getElementById("span-list");
    if (!data || !container || !list) return;
    var payload = JSON.parse(data.textContent);
    loadLabels(payload.labels);
    var text = new Text(payload.text);
    var spans = payload.candidates.map(function (c) {
      return { start: c.start, end: c.end, reasons: c.reasons, ticked: c.ticked };
    });
    var count = document.getElementById("span-count");
    // "Already checked?" under each candidate: the page's own panels, kept by span; a span the editor
    // makes gets the same panel from the server, once (the text may be a paraphrase of a published verdict).
    var panels = {};
    list.querySelectorAll("li[data-span]").forEach(function (item) {
      panels[item.getAttribute("data-span")] = item.querySelector("section.already-checked");
    });
    function similarPanel(s, item) {
      var key = s.start + ":" + s.end;
      if (panels[key]) { item.insertBefore(panels[key], item.querySelector(".span-controls")); return; }
      if (key in panels || !payload.similar_url) return; // asked already, or nothing to show
      panels[key] = null;
      var url = payload.similar_url + "&span=" + encodeURIComponent(key) + "&text=" + encodeURIComponent(text.slice(s.start, s.end));
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          var holder = document.createElement("template");
          holder.innerHTML = html;
          var panel = holder.content.querySelector("section.already-checked");
          if (!panel) return;
          panels[key] = panel;
          var shown = list.querySelector('li[data-span="' + key + '"]');
          if (shown) shown.insertBefore(panel, shown.querySelector(".span-controls"));
        })
        .catch(function () { delete panels[key]; });
    }
    var live = element("p", { class: "visually-hidden", "aria-live": "polite", id: "span-live" });
    list.parentNode.insertBefore(live, list);
    showJsOnly(document);

    function sort() {
      spans.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    }

    function trimSpan(s) {
      var value = text.slice(s.start, s.end);
      // Brackets stay: "(6/6/2024)" keeps its closing parenthesis.
      var lead = value.match(/^[\s"“”‘’'«»\-–—]*/u)[0];
      var tail = value.match(/[\s"“”‘’'«»,;:\-–—]*$/u)[0];
      if (lead.length + tail.length >= value.length) return;
      s.start = text.toCp(text.toU16(s.start) + lead.length);
      s.end = text.toCp(text.toU16(s.end) - tail.length);
    }

    function splitSpan(index) {
      var s = spans[index];
      var a = text.toU16(s.start), b = text.toU16(s.end), value = text.value;
      var middle = (a + b) / 2, best = -1;
      var separators = /[.!?;,:](?=\s)|\s[-–—]\s/g, match;
      var inner = value.slice(a, b);
      while ((match = separators.exec(inner)) !== null) {
        var at = a + match.index + match[0].length;
        if (at > a && at < b && (best === -1 || Math.abs(at - middle) < Math.abs(best - middle))) best = at;
      }
      if (best === -1) { // no clause boundary: the word boundary nearest the middle
        for (var i = a + 1; i < b; i++) {
          if (/\s/.test(value[i - 1]) && !/\s/.test(value[i]) && (best === -1 || Math.abs(i - middle) < Math.abs(best - middle))) best = i;
        }
      }
      if (best === -1) return false;
      var first = { start: s.start, end: text.toCp(best), reasons: s.reasons, ticked: true };
      var second = { start: text.toCp(best), end: s.end, reasons: ["split by the editor"], ticked: true };
      trimSpan(first);
      trimSpan(second);
      spans.splice(index, 1, first, second);
      return true;
    }

    function setFromSelection() {
      var chosen = selectionIn(container, text);
      if (!chosen) return;
      var touched = [];
      spans.forEach(function (s, i) { if (s.start < chosen.end && chosen.start < s.end) touched.push(i); });
      var message;
      if (touched.length === 0) {
        spans.push({ start: chosen.start, end: chosen.end, reasons: ["chosen by the editor"], ticked: true });
        message = t("added", "added");
      } else if (touched.length === 1) {
        var s = spans[touched[0]];
        s.start = chosen.start; s.end = chosen.end; s.ticked = true;
        message = t("adjusted", "adjusted");
      } else {
        var reasons = [];
        touched.forEach(function (i) { reasons = reasons.concat(spans[i].reasons); });
        spans = spans.filter(function (_, i) { return touched.indexOf(i) === -1; });
        spans.push({ start: chosen.start, end: chosen.end, reasons: reasons, ticked: true });
        message = t("merged", "merged");
      }
      window.getSelection().removeAllRanges();
      sort();
      update();
      var number = spans.findIndex(function (s) { return s.start === chosen.start && s.end === chosen.end; }) + 1;
      announce(live, t("claim", "Claim") + " " + number + " " + message + ": " + text.slice(chosen.start, chosen.end));
    }

    function button(label, title, action) {
      var node = element("button", { type: "button", class: "button span-action", title: title, text: label });
      node.addEventListener("click", action);
      return node;
    }

    function offsetInput(label, value, onChange) {
      var input = element("input", { type: "number", min: "0", max: String(text.length), value: String(value), class: "vIntegerField" });
      input.addEventListener("change", function () { onChange(input); });
      return element("label", { class: "span-offset" }, [document.createTextNode(label + " "), input]);
    }

    function update() {
      render(container, text, spans, function (mark, index, first) {
        mark.className = "candidate" + (spans[index].ticked ? " ticked" : "");
        mark.title = spans[index].reasons.join("; ");
        if (first) mark.setAttribute("data-number", String(index + 1));
      });
      list.textContent = "";
      spans.forEach(function (s, index) {
        var box = element("input", { type: "checkbox", name: "accept", value: s.start + ":" + s.end });
        box.checked = s.ticked;
        box.addEventListener("change", function () { s.ticked = box.checked; update(); });
        var quote = element("q", { text: text.slice(s.start, s.end) });
        var controls = element("div", { class: "span-controls" }, [
          offsetInput(t("start", "Start"), s.start, function (input) { setOffset(s, "start", input); }),
          offsetInput(t("end", "End"), s.end, function (input) { setOffset(s, "end", input); }),
          button(t("split", "Split"), t("split_title", "Split this claim in two"), function () {
            if (splitSpan(index)) { update(); announce(live, t("claim", "Claim") + " " + (index + 1) + ": " + t("split_done", "split in two")); }
          }),
          button(t("merge", "Merge with next"), t("merge_title", "Join this claim and the next one"), function () {
            var next = spans[index + 1];
            if (!next) return;
            s.end = Math.max(s.end, next.end); s.ticked = true;
            s.reasons = s.reasons.concat(next.reasons);
            spans.splice(index + 1, 1);
            update();
            announce(live, t("claim", "Claim") + " " + (index + 1) + "+" + (index + 2) + ": " + t("merged", "merged"));
          }),
          button(t("trim", "Trim"), t("trim_title", "Drop quotation marks and punctuation around the claim"), function () {
            trimSpan(s); update(); announce(live, t("claim", "Claim") + " " + (index + 1) + ": " + t("trimmed", "trimmed"));
          }),
          button(t("remove", "Remove"), t("remove_title", "Remove this claim from the list"), function () {
            spans.splice(index, 1); update(); announce(live, t("claim", "Claim") + " " + (index + 1) + ": " + t("removed", "removed"));
          }),
        ]);
        var item = element("li", { value: String(index + 1), "data-start": String(s.start), "data-end": String(s.end), "data-span": s.start + ":" + s.end }, [
          element("label", {}, [box, document.createTextNode(" "), quote]),
          element("div", { class: "help", text: t("because", "because") + " " + s.reasons.join("; ") }),
          controls,
        ]);
        list.appendChild(item);
        similarPanel(s, item);
      });
      if (count) count.textContent = String(spans.length);
    }

    function setOffset(span, which, input) {
      var value = parseInt(input.value, 10);
      var start = which === "start" ? value : span.start;
      var end = which === "end" ? value : span.end;
      if (isNaN(value) || start < 0 || end > text.length || end <= start || !text.slice(start, end).trim()) {
        input.setCustomValidity(t("offsets_rule", "Between 0 and the length of the text, the start before the end.") + " (0–" + text.length + ")");
        input.reportValidity();
        return;
      }
      span.start = start; span.end = end; span.ticked = true;
      sort();
      update();
    }

    container.addEventListener("mouseup", setFromSelection);
    container.addEventListener("keyup", function (event) { if (event.shiftKey || event.key === "Enter") setFromSelection(); });
    update();
  }

  // --- the claim form: Start and End by selection ---------------------------------------------------

  function claimPicker() {
    var startInput = document.getElementById("id_start");
    var endInput = document.getElementById("id_end");
    if (!startInput || !endInput) return;
    var data = document.getElementById("claim-span-data");
    var labels = document.getElementById("span-picker-labels");
    if (labels) loadLabels(JSON.parse(labels.textContent));
    var picker = element("div", { class: "span-picker" });
    var help = element("p", { class: "help", text: t("picker_help", "Select words in the article to set Start and End; you can still type the offsets.") });
    var container = element("div", { class: "import-text span-text", tabindex: "0", id: "claim-span-text", "aria-label": t("picker_label", "Article text: select words to set the claim's span") });
    var preview = element("p", { class: "span-preview", "aria-live": "polite", id: "claim-span-preview" });
    picker.appendChild(help);
    picker.appendChild(container);
    picker.appendChild(preview);
    var row = startInput.closest(".form-row") || startInput.parentNode;
    row.parentNode.insertBefore(picker, row.nextSibling);
    var text = null;

    function current() {
      return { start: parseInt(startInput.value, 10), end: parseInt(endInput.value, 10) };
    }

    function valid(span) {
      return text && !isNaN(span.start) && !isNaN(span.end) && span.start >= 0 && span.end <= text.length && span.start < span.end;
    }

    function update() {
      if (!text) { picker.hidden = true; return; }
      picker.hidden = false;
      var span = current();
      var spans = valid(span) ? [span] : [];
      render(container, text, spans, function (mark) { mark.className = "candidate ticked"; });
      preview.textContent = "";
      if (!spans.length) return;
      var value = text.value, a = text.toU16(span.start), b = text.toU16(span.end);
      var from = a, to = b;
      while (from > 0 && !/[.!?\n]/.test(value[from - 1])) from--;
      while (to < value.length && !/[.!?\n]/.test(value[to - 1] || "")) to++;
      preview.appendChild(document.createTextNode(t("in_sentence", "In its sentence:") + " " + value.slice(from, a).trimStart()));
      preview.appendChild(element("mark", { text: value.slice(a, b) }));
      preview.appendChild(document.createTextNode(value.slice(b, to)));
      var mark = container.querySelector("mark");
      if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
    }

    function fill(chosen) {
      startInput.value = String(chosen.start);
      endInput.value = String(chosen.end);
      [startInput, endInput].forEach(function (input) { input.dispatchEvent(new Event("input", { bubbles: true })); });
      update();
    }

    container.addEventListener("mouseup", function () {
      var chosen = text && selectionIn(container, text);
      if (chosen) { window.getSelection().removeAllRanges(); fill(chosen); }
    });
    container.addEventListener("keyup", function (event) {
      var chosen = event.shiftKey && text && selectionIn(container, text);
      if (chosen) fill(chosen);
    });
    [startInput, endInput].forEach(function (input) { input.addEventListener("input", update); });

    if (data) {
      text = new Text(JSON.parse(data.textContent).text);
      update();
      return;
    }
    var article = document.getElementById("id_article");
    var url = article && article.getAttribute("data-text-url");
    function load() {
      text = null;
      if (!article.value || !url) { update(); return; }
      fetch(url.replace("/0/", "/" + encodeURIComponent(article.value) + "/"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { text = body ? new Text(body.text) : null; update(); })
        .catch(function () { text = null; update(); });
    }
    if (article) { article.addEventListener("change", load); load(); }
  }

  // --- unsaved changes on the claim form --------------------------------------------------------

  function unsavedWarning() {
    var form = document.getElementById("claim_form");
    if (!form) return;
    function snapshot() {
      var pairs = [];
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "submit" || field.type === "button" || field.name === "csrfmiddlewaretoken") return;
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
        pairs.push(field.name + "=" + field.value);
      });
      return pairs.join("&");
    }
    // Shown again after a refusal, the form holds input that was not saved: leaving warns from the start.
    var saved = document.querySelector(".errornote, .errorlist") ? null : snapshot();
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || snapshot() === saved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function start() {
    importEditor();
    claimPicker();
    unsavedWarning();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

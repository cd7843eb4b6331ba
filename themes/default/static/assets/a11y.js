/* 适老化 (larger text, higher contrast). The header checkbox works without this
 * script: large.css styles the page through `:has(#a11y-toggle:checked)`. The
 * script only remembers the choice across pages. It runs in <head>, before the
 * body is drawn, so a remembered choice shows on the first paint. */
(function () {
  var KEY = 'skillpress-large-text';
  var root = document.documentElement;
  var on = false;
  try { on = window.localStorage.getItem(KEY) === '1'; } catch (e) { /* storage blocked: per page only */ }
  if (on) root.classList.add('a11y-large');
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('a11y-toggle');
    if (!box) return;
    if (on) box.checked = true;
    box.addEventListener('change', function () {
      root.classList.toggle('a11y-large', box.checked);
      try {
        if (box.checked) window.localStorage.setItem(KEY, '1');
        else window.localStorage.removeItem(KEY);
      } catch (e) { /* storage blocked */ }
    });
  });
})();

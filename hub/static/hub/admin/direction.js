// Text direction of the admin's inputs: addresses, e-mail and code always read left to right (an Arabic admin
// otherwise shows "/https://…"); free text follows its own content (dir="auto"), so an Arabic line typed in the
// English admin keeps its final full stop where it belongs. Inputs added later (StreamField blocks, modals) are
// handled as they appear. An input that already states its direction keeps it.
(() => {
  "use strict";
  const LEFT_TO_RIGHT = "input[type=url], input[type=email], input[type=tel], input[name$=slug], [data-tawasul-code]";
  const FOLLOWS_CONTENT = "input[type=text], input[type=search], input:not([type]), textarea, [contenteditable=true]";
  const TRANSLATION_SOURCE = ".js-translation-editor p, .js-translation-editor li";

  const direct = (root) => {
    if (!(root instanceof Element)) return;
    for (const el of root.querySelectorAll(LEFT_TO_RIGHT)) {
      if (!el.hasAttribute("dir")) el.setAttribute("dir", "ltr");
    }
    for (const el of root.querySelectorAll(FOLLOWS_CONTENT)) {
      if (!el.hasAttribute("dir") && !el.matches(LEFT_TO_RIGHT)) el.setAttribute("dir", "auto");
    }
    for (const el of root.querySelectorAll(TRANSLATION_SOURCE)) {
      if (!el.hasAttribute("dir")) el.setAttribute("dir", "auto");
    }
  };

  const start = () => {
    direct(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node instanceof Element) direct(node.parentElement || node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

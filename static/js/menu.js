/* The header's menus (templates/base.html) are <details> disclosures and work without this
   script; it only adds what people expect of a menu: Escape closes it and gives focus back to
   its button, and a click or focus elsewhere on the page closes it. */
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll(".site-header details[open]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const menus = openMenus();
    if (!menus.length) return;
    // Close the innermost open menu first (the account menu sits inside the phone menu).
    const menu = menus[menus.length - 1];
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  function closeOutside(target) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(target)) menu.open = false;
    });
  }

  document.addEventListener("click", function (event) { closeOutside(event.target); });
  document.addEventListener("focusin", function (event) { closeOutside(event.target); });
})();

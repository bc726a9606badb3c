// The header's menus are <details> and work without this script; with it,
// Escape closes the open menu (focus back on its button), as does a click
// or a focus outside it, and opening one closes the others (as their shared
// name attribute already does in recent browsers).
(function () {
  'use strict';
  var menus = document.querySelectorAll('.site-header details.menu');
  function closeAll(except) {
    for (var i = 0; i < menus.length; i++) {
      if (menus[i] !== except) menus[i].open = false;
    }
  }
  for (var i = 0; i < menus.length; i++) {
    menus[i].addEventListener('toggle', function (e) {
      if (e.target.open) closeAll(e.target);
    });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var open = document.activeElement && document.activeElement.closest('.site-header details.menu[open]');
    if (!open) return;
    open.open = false;
    open.querySelector('summary').focus();
  });
  function outside(e) {
    if (!e.target.closest || !e.target.closest('.site-header details.menu[open]')) closeAll(null);
  }
  document.addEventListener('click', outside);
  document.addEventListener('focusin', outside);
})();

// cmi5 returnURL (§10.2.6): the AU has terminated and sent its frame or window here. Inside the
// player's content frame this page tells the player page (same origin), which moves on to the next
// AU or the overview; our site never stays inside the frame. In a window of its own (OwnWindow) it
// tells the player tab and closes, or moves on itself where the window cannot be closed.
(function () {
  'use strict';
  var el = document.getElementById('cmi5-returned');
  if (!el) return;
  var msg = { type: 'lotse:cmi5-returned', attemptId: el.getAttribute('data-attempt') };
  var next = el.getAttribute('data-next');
  if (window.parent !== window) {
    window.parent.postMessage(msg, '*');
    return;
  }
  try {
    new BroadcastChannel('lotse-player').postMessage(msg);
  } catch {
    /* no BroadcastChannel: this window moves on below */
  }
  window.close();
  setTimeout(function () { window.location.replace(next); }, 300);
})();

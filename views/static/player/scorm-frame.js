// The SCORM adapter page on the content origin (served as /adapter/scorm-frame.js, see
// src/player/content-frame.ts). It defines window.API (1.2) or window.API_1484_11 (2004) for the
// package, which it frames next, on the same content origin, so the package finds the API by walking
// window.parent as the standard says.
//
// Every call goes to the player page by scorm-again's CrossFrameAPI; the player's API there is the
// authority and commits to the server. CrossFrameAPI answers reads from a cache that is empty before
// the first round trip and lacks _count, _children and read-only values, so reads are answered here
// by a local scorm-again instance loaded with the same data as the player's and fed the same calls:
// the package gets correct, synchronous answers, the player gets every call in order.
//
// In the sandbox fallback (CONTENT_ISOLATION=sandbox) every document has an opaque origin of its own,
// so there is no adapter page: these scripts come first in the SCO's own page, and the player hands
// over the data in the frame's name, to be read before the SCO's scripts run.
(function () {
  'use strict';
  var injected = window.name.indexOf('lotse-scorm:') === 0 ? JSON.parse(window.name.slice('lotse-scorm:'.length)) : null;
  var body = document.body;
  if (!injected && !(body && body.hasAttribute('data-lms'))) return;
  if (injected) window.name = '';
  var lms = injected ? injected.lms : body.getAttribute('data-lms');
  var version = injected ? injected.version : body.getAttribute('data-api');
  var src = injected ? null : body.getAttribute('data-src');
  var remote = new window.CrossFrameAPI(lms, window.parent, { timeout: 10000 });
  var methods = version === '1.2'
    ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']
    : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString', 'GetDiagnostic'];
  // reads stay local; everything that changes state goes to the player as well
  var forwarded = /^(LMS)?(Initialize|Finish|Terminate|SetValue|Commit)$/;

  // choice: the activities a choice request may go to now (adl.nav.request_valid.choice, SCORM 2004)
  function start(cmi, choice) {
    var local = version === '1.2' ? new window.Scorm12API({ logLevel: 5 }) : new window.Scorm2004API({ logLevel: 5, scoItemIds: choice || [] });
    local.loadFromFlattenedJSON(cmi, '');
    var api = {};
    methods.forEach(function (name) {
      api[name] = function () {
        var result = local[name].apply(local, arguments);
        if (forwarded.test(name)) remote[name].apply(remote, arguments);
        return result;
      };
    });
    if (version === '1.2') window.API = api;
    else window.API_1484_11 = api;
    if (!src) return;
    var frame = document.createElement('iframe');
    frame.title = document.title;
    frame.setAttribute('allow', 'fullscreen');
    frame.style.cssText = 'position:fixed;inset:0;width:100%;height:100%;border:0';
    frame.src = src;
    body.appendChild(frame);
    // the player asks before it leaves: only the SCO goes, so its unload-time calls still reach the player
    window.addEventListener('message', function (ev) {
      if (ev.origin === lms && ev.source === window.parent && ev.data && ev.data.type === 'lotse:scorm-unload') frame.src = 'about:blank';
    });
  }

  if (injected) return start(injected.cmi, injected.choice);
  window.addEventListener('message', function onData(ev) {
    if (ev.origin !== lms || ev.source !== window.parent || !ev.data || ev.data.type !== 'lotse:scorm-cmi' || ev.data.version !== version) return;
    window.removeEventListener('message', onData);
    start(ev.data.cmi, ev.data.choice);
  });
  window.parent.postMessage({ type: 'lotse:scorm-hello' }, lms);
})();

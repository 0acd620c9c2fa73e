// Deskmate console: the little progressive behaviour its pages have. Every page works without it.
'use strict';

(() => {
  // The overview reloads itself while it is on screen.
  const refreshing = document.querySelector('main[data-refresh]');
  if (refreshing) {
    const seconds = Number(refreshing.getAttribute('data-refresh'));
    if (seconds > 0) {
      setInterval(() => {
        if (!document.hidden) window.location.reload();
      }, seconds * 1000);
    }
  }

  // A breakdown picker shows a choice made with the mouse or a finger at once. A choice made with the keyboard
  // (arrow keys change a closed select) waits for the button, so moving through the options reloads nothing.
  for (const form of document.querySelectorAll('form[data-auto-submit]')) {
    for (const select of form.querySelectorAll('select')) {
      let pointer = false;
      select.addEventListener('pointerdown', () => {
        pointer = true;
      });
      select.addEventListener('keydown', () => {
        pointer = false;
      });
      select.addEventListener('change', () => {
        if (pointer) form.submit();
      });
    }
  }

  // The playground: the paste box only when pasting, the usual request of the skill as a hint, and a
  // button that says it is running (a run takes as long as the model).
  const playground = document.getElementById('playground-form');
  if (playground) {
    const thread = document.getElementById('thread');
    const skill = document.getElementById('skill');
    const request = document.getElementById('request');
    const pasted = document.getElementById('pasted');
    const pastedLabel = document.getElementById('pasted-label');
    const run = document.getElementById('run');
    const language = () => {
      const chosen = thread.selectedOptions[0];
      const declared = chosen ? chosen.getAttribute('data-language') : '';
      if (declared) return declared;
      return /\p{Script=Han}/u.test(pasted.value) ? 'zh' : 'en';
    };
    const update = () => {
      const pasting = thread.value === 'pasted';
      pasted.hidden = !pasting;
      pastedLabel.hidden = !pasting;
      const option = skill.selectedOptions[0];
      const usual = option
        ? option.getAttribute(language() === 'zh' ? 'data-usual-zh' : 'data-usual-en')
        : '';
      request.placeholder = usual || '';
    };
    thread.addEventListener('change', update);
    skill.addEventListener('change', update);
    pasted.addEventListener('input', update);
    update();
    playground.addEventListener('submit', () => {
      run.disabled = true;
      run.textContent = run.getAttribute('data-running');
    });
  }
})();

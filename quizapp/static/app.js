// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// A box that scrolls sideways (a wide table on a phone, a long source line) can be reached and
// scrolled with the keyboard (WCAG 2.1.1): it joins the tab order only when it actually scrolls.
document.querySelectorAll(".table-wrap, .source-lines, .guide pre, [data-scrolls]").forEach((box) => {
  if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.tabIndex = 0;
});

// Number keys pick a choice (1 = first shown); Enter submits as usual.
document.addEventListener("keydown", (event) => {
  const form = document.querySelector("form.answer");
  if (!form || event.altKey || event.ctrlKey || event.metaKey) return;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) && event.target.type !== "radio" && event.target.type !== "checkbox") return;
  const n = parseInt(event.key, 10);
  const inputs = form.querySelectorAll("input[type=radio], input[type=checkbox]");
  if (n >= 1 && n <= inputs.length) {
    const input = inputs[n - 1];
    input.checked = input.type === "radio" ? true : !input.checked;
    input.focus();
    event.preventDefault();
  }
});

// After answering, "Next" has the focus (autofocus) so Enter goes on; once the page is laid out, show the
// feedback from its top rather than from the focused button at its end.
const feedback = document.getElementById("feedback");
if (feedback) {
  const show = () => {
    const next = feedback.querySelector("[data-next]");
    if (next && document.activeElement !== next) next.focus({ preventScroll: true });
    feedback.scrollIntoView({ block: "start" });
  };
  if (document.readyState === "complete") show(); else window.addEventListener("load", show);
}

// Flashcards: space or Enter shows the answer, 1-4 rate; buttons work by touch too.
const flashcard = document.querySelector("[data-flashcard]");
if (flashcard) {
  const back = document.getElementById("card-back");
  const flip = document.getElementById("flip");
  const showBack = () => {
    if (!back.hidden) return false;
    back.hidden = false;
    if (flip) flip.hidden = true;
    const good = back.querySelector("button[data-key='3']");
    if (good) good.focus();
    return true;
  };
  if (flip) flip.addEventListener("click", (event) => { if (showBack()) event.preventDefault(); });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || ["SELECT", "INPUT"].includes(event.target.tagName)) return;
    if (event.target.closest(".listen")) return;  // Space or Enter on Listen (or a transcript) is theirs
    if ((event.key === " " || event.key === "Enter") && back.hidden) {
      showBack();
      event.preventDefault();
    } else if (!back.hidden && ["1", "2", "3", "4"].includes(event.key)) {
      const button = back.querySelector(`button[data-key='${event.key}']`);
      if (button) { button.click(); event.preventDefault(); }
    }
  });
}

// Read aloud (readaloud.py renders the buttons, hidden): a Listen button plays the teacher's clip for its
// language, else the browser's own speech synthesis, shown only where the browser has a voice for the
// language; nothing is sent anywhere. The words spoken are the button's data-speak (the text without
// pinyin ruby), never the page's text. live.js calls refresh() for the phone's screens it draws.
window.readAloud = (() => {
  const synth = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function" ? window.speechSynthesis : null;
  let voices = [];
  const norm = (lang) => String(lang || "").replace(/_/g, "-").toLowerCase();
  const MANDARIN = { "zh-cn": ["zh-cn", "zh", "zh-hans", "zh-hans-cn", "cmn-cn", "cmn-hans-cn"],
                     "zh-tw": ["zh-tw", "zh-hant", "zh-hant-tw", "cmn-tw", "cmn-hant-tw"] };
  // A voice for a language: English of any region; Mandarin for Chinese (never a Cantonese zh-HK voice),
  // a mainland voice reading Traditional text when the device has no Taiwanese one (the words are the same).
  const voiceFor = (lang) => {
    const want = norm(lang);
    if (want === "en") return voices.find((v) => norm(v.lang) === "en" || norm(v.lang).startsWith("en-"));
    const pickFrom = (names) => voices.find((v) => names.includes(norm(v.lang)));
    return pickFrom(MANDARIN[want] || [want]) || (want === "zh-tw" ? pickFrom(MANDARIN["zh-cn"]) : undefined);
  };
  const refresh = (root = document) => {
    if (synth) voices = synth.getVoices() || [];
    root.querySelectorAll(".listen-button").forEach((button) => {
      button.hidden = !("clip" in button.dataset) && !voiceFor(button.dataset.speakLang);
    });
  };
  const stop = () => {
    document.querySelectorAll(".listen audio").forEach((audio) => { if (!audio.paused) audio.pause(); });
    if (synth) synth.cancel();
  };
  // Plays what a button stands for; a browser that refuses (no gesture yet, for autoplay) stays quiet.
  const play = (button) => {
    stop();
    if ("clip" in button.dataset) {
      const audio = button.parentElement.querySelector("audio");
      if (!audio) return;
      audio.currentTime = 0;
      const started = audio.play();
      if (started && started.catch) started.catch(() => {});
      return;
    }
    const voice = synth && voiceFor(button.dataset.speakLang);
    if (!voice) return;
    const utterance = new SpeechSynthesisUtterance(button.dataset.speak || "");
    utterance.lang = button.dataset.speakLang;
    utterance.voice = voice;
    utterance.onerror = () => {};
    synth.speak(utterance);
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".listen-button");
    if (!button) return;
    event.preventDefault();
    play(button);
  });
  refresh();
  if (synth && synth.addEventListener) synth.addEventListener("voiceschanged", () => refresh());
  return { refresh, play };
})();

// Flashcards can read their front out when the card opens (a setting): the click that opened the card
// (a rating, "Next") is the gesture browsers ask for; where they still refuse, nothing happens.
const autoplayFront = document.querySelector("[data-autoplay-front] .front .listen-button");
if (autoplayFront) {
  let played = false;
  const tryPlay = () => {
    window.readAloud.refresh(autoplayFront.closest(".listen"));
    if (played || autoplayFront.hidden) return;
    played = true;
    window.readAloud.play(autoplayFront);
  };
  tryPlay();
  if (!played && window.speechSynthesis && window.speechSynthesis.addEventListener) {
    window.speechSynthesis.addEventListener("voiceschanged", tryPlay);
  }
}

// Sign-up: the browser knows the learner's time zone; streaks count their own days.
const tz = document.querySelector("[data-browser-timezone]");
if (tz && !tz.value) {
  try { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { tz.value = "UTC"; }
}

// Bank editor: an error's line link puts the cursor on that line of the text, to fix it there.
const bankSource = document.getElementById("source");
document.querySelectorAll("[data-goto-line]").forEach((link) => {
  link.addEventListener("click", (event) => {
    if (!bankSource) return;
    const line = parseInt(link.dataset.gotoLine, 10);
    const lines = bankSource.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, text) => n + text.length + 1, 0);
    bankSource.focus();
    bankSource.setSelectionRange(start, start + (lines[line - 1] || "").length);
    bankSource.scrollTop = Math.max(0, (line - 3) * (bankSource.scrollHeight / Math.max(lines.length, 1)));
    event.preventDefault();
  });
});

// An invitation link selects itself for copying.
document.querySelectorAll("[data-select-on-focus]").forEach((input) => {
  input.addEventListener("focus", () => input.select());
});

// Forms that remove something ask first.
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});

// The bank editor's text is unsaved until checked: leaving the page any other way (a link, the
// header's switchers) asks first, and the text is kept in this tab (sessionStorage: gone when the
// tab closes, and on sign-out) so that a check refused because the sign-in ended (the form comes
// back from the sign-in page empty) can be put back. Checking saves it as a draft on the server.
const UNSAVED = "quizapp-unsaved:";  // + the editor's address: text typed there and never checked
const sameText = (a, b) => (a || "").replace(/\r\n/g, "\n") === (b || "").replace(/\r\n/g, "\n");
const forgetUnsaved = (keep) => Object.keys(sessionStorage)
  .filter((key) => key.startsWith(UNSAVED) && keep(sessionStorage.getItem(key)))
  .forEach((key) => sessionStorage.removeItem(key));
const published = document.querySelector("form.publish input[name=source]");
if (published) forgetUnsaved((text) => sameText(text, published.value));  // the server has it now
document.querySelectorAll("form[action='/signout']").forEach((form) => {
  form.addEventListener("submit", () => forgetUnsaved(() => true));
});
document.querySelectorAll("form[data-keep-text]").forEach((form) => {
  const area = form.querySelector("textarea");
  if (!area) return;
  const original = area.value;
  const UNSAVED_HERE = UNSAVED + location.pathname + location.search;
  forgetUnsaved((text) => sameText(text, original));  // text this page was served with is on the server
  const kept = sessionStorage.getItem(UNSAVED_HERE);
  const notice = document.getElementById("unsaved-text");
  if (kept !== null && notice) {
    notice.hidden = false;
    document.getElementById("restore-text").addEventListener("click", () => {
      area.value = kept;
      notice.hidden = true;
      area.focus();
    });
    document.getElementById("forget-text").addEventListener("click", () => {
      sessionStorage.removeItem(UNSAVED_HERE);
      notice.hidden = true;
    });
  }
  area.addEventListener("input", () => sessionStorage.setItem(UNSAVED_HERE, area.value));
  let submitting = false;
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && !sameText(area.value, original)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});

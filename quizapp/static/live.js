// Live games: the projector and the players' phones follow the game through Server-Sent Events.
// Every page works without this file (forms and a refresh link); this adds live updates,
// one-tap answers that are retried on a bad network, and a local countdown.
"use strict";

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

// ------------------------------------------------------------------ countdowns
// The server sends milliseconds left, not a time of day: a phone's wrong clock does not matter.
function startTimers(root) {
  root.querySelectorAll("[data-timer]").forEach((el) => {
    const now = performance.now();
    el.liveEnd = now + Number(el.dataset.remainingMs || 0);
    el.liveReadingEnd = now + Number(el.dataset.readingMs || 0);
  });
}

function tickTimers() {
  document.querySelectorAll("[data-timer]").forEach((el) => {
    if (el.liveEnd === undefined) return;
    const now = performance.now();
    const reading = el.liveReadingEnd - now;
    const left = Math.max(0, el.liveEnd - now);
    const label = el.querySelector(".timer-label");
    const value = el.querySelector("[data-timer-value]");
    // The element names both of its phases: once the reading time is over it counts answer time.
    if (label) label.textContent = (reading > 0 ? el.dataset.readingLabel : el.dataset.leftLabel) || label.textContent;
    if (value) value.textContent = String(Math.ceil((reading > 0 ? reading : left) / 1000));
    el.classList.toggle("reading", reading > 0);
    el.classList.toggle("urgent", reading <= 0 && left < 5000);
  });
}
setInterval(tickTimers, 250);

// ------------------------------------------------------------------ the event stream, and its way back
// A stream the server refuses (429 or 503: too many open from here, or the server is full) makes the
// browser's EventSource give up for good. Then the page polls now and then instead, and tries a
// stream again later, waiting longer each time (15 s, 30 s, ... up to 2 min, spread at random), so
// a full server is not hammered by a thousand phones at once. A dropped stream (readyState
// CONNECTING) is retried by the browser itself after the server's `retry:`.
function follow(url, { message, offline, poll }) {
  let delay = 15000;
  let polling = null;
  const stopPolling = () => { if (polling) { clearInterval(polling); polling = null; } };
  const open = () => {
    const events = new EventSource(url);
    events.onopen = () => { delay = 15000; stopPolling(); };
    events.onmessage = message;
    events.onerror = () => {
      if (events.readyState !== EventSource.CLOSED) { offline(); return; }
      events.close();
      if (!polling) { poll(); polling = setInterval(poll, 4000 + Math.random() * 4000); }
      setTimeout(open, delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 120000);
    };
  };
  open();
}

// ------------------------------------------------------------------ the projector
const host = document.getElementById("live-host");
if (host) {
  let loading = false;
  let again = false;

  const bindPanel = () => {  // a fetched panel is new markup: its timer and Listen buttons need starting
    if (window.readAloud) window.readAloud.refresh(host);
    startTimers(host);
    tickTimers();
  };

  // The teacher drives the game from the projector's keyboard (or a presenter's clicker, which
  // sends Page Down): Space, → or Page Down press the button marked data-next. Keys typed into a
  // field, or pressed on another control, keep their own meaning.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (![" ", "ArrowRight", "PageDown"].includes(event.key)) return;
    if (event.target.closest("input, textarea, select, button, a, summary, [contenteditable]")) return;
    const scrolls = event.target.scrollHeight > event.target.clientHeight + 1;
    if (scrolls && event.key !== "ArrowRight") return;  // Space and Page Down scroll a screen too small for all of it
    const next = host.querySelector("button[data-next]");
    if (!next) return;
    event.preventDefault();
    if (next.dataset.sent) return;  // a held key must not send the step twice (the server would refuse it anyway)
    next.dataset.sent = "yes";
    next.form.requestSubmit(next);
  });

  const refresh = async () => {
    if (loading) { again = true; return; }
    loading = true;
    try {
      const response = await fetch(host.dataset.panelUrl, { credentials: "same-origin" });
      if (response.ok) {
        const open = host.querySelector("details.manage")?.open;
        host.innerHTML = await response.text();
        document.querySelectorAll("main > .flash").forEach((flash) => flash.remove());  // said; the screen moved on
        const manage = host.querySelector("details.manage");
        if (manage && open) manage.open = true;
        bindPanel();
      }
    } finally {
      loading = false;
      if (again) { again = false; refresh(); }
    }
  };

  bindPanel();
  if (window.EventSource) {
    follow(host.dataset.eventsUrl, {
      message: (message) => {
        const state = JSON.parse(message.data);
        const panel = document.getElementById("panel");
        if (!panel || String(state.v) !== panel.dataset.version || String(state.lobby) !== panel.dataset.lobby) {
          refresh();
          return;
        }
        host.querySelectorAll("[data-answered]").forEach((el) => { el.textContent = state.answered; });
        host.querySelectorAll("[data-players]").forEach((el) => { el.textContent = state.players; });
      },
      offline: () => {},
      poll: refresh,  // refused a stream: the whole panel now and then (its counts included)
    });
  }
}

// ------------------------------------------------------------------ a player's phone
const play = document.getElementById("live-play");
if (play) {
  const t = play.dataset;
  const stage = document.getElementById("stage");
  const status = play.querySelector("[data-status]");
  let mode = t.mode;
  let current = null;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "class") node.className = value; else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  };

  // The same markup as i18n.bilingual(): lang attributes, and both languages side by side on request.
  const bilingual = (text, tag = "span") => {
    if (!text) return "";
    const one = (lang) => el(tag, { lang, class: `t t-${lang.slice(0, 2)}` }, lang === "en" ? text.en : text.zh);
    if (!text.zh) return one("en"); // a one-language bank's text, once, in its own language
    if (!text.en) return one(t.zh);
    if (mode === "en") return one("en");
    if (mode === "zh") return one(t.zh);
    return el(tag, { class: "both" }, one("en"), one(t.zh));
  };

  // The Listen buttons beside the prompt, as readaloud.listen() draws them (hidden until app.js knows
  // this phone has a voice for the language, or the bank has a clip for it).
  const SPEECH_LANG = { en: "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW" };
  const mediaUrl = (file) => t.mediaUrl.replace(/FILE$/, file);
  // The question's picture, as _media.html's media_image() draws it: its size reserved, its alt in the
  // language(s) shown.
  const picture = (image, size) => {
    if (!image) return null;
    const alt = image.alt || {};
    const text = !alt.zh ? alt.en : !alt.en ? alt.zh : mode === "en" ? alt.en : mode === "zh" ? alt.zh : `${alt.en} / ${alt.zh}`;
    return el("img", { class: `media media-${size}`, src: mediaUrl(image.file), alt: text || "", width: image.width,
                       height: image.height, decoding: "async" });
  };
  const listen = (text, audio) => {
    if (!text) return null;
    const langs = !text.zh ? ["en"] : !text.en ? [t.zh] : mode === "en" ? ["en"] : mode === "zh" ? [t.zh] : ["en", t.zh];
    return el("div", { class: langs.length === 2 ? "listen both-langs" : "listen" }, langs.map((lang) => {
      const clip = (audio || {})[lang === "en" ? "en" : "zh"];
      const button = el("button", { type: "button", class: "listen-button", hidden: true, "data-clip": Boolean(clip),
                                    "data-speak": clip ? null : (lang === "en" ? text.en : text.zh), "data-speak-lang": SPEECH_LANG[lang] },
        el("span", { class: "visually-hidden" }, lang === "en" ? t.tListenEn : t.tListenZh));
      if (!clip) return el("div", { class: "listen-one" }, button);
      return el("div", { class: "listen-one" }, button, el("audio", { preload: "none", src: mediaUrl(clip.file) }),
        el("details", { class: "transcript" }, el("summary", {}, t.tTranscript), el("p", { lang }, clip.transcript)));
    }));
  };

  const say = (message, kind = "info") => {
    status.hidden = !message;
    status.textContent = message || "";
    status.className = `status flash flash-${kind}`;
  };

  // A part of the question as its type's template drew it on the server (the answer inputs, the
  // right answer), in both languages side by side: this phone keeps the language it shows.
  const fragment = (html) => {
    const holder = document.createElement("template");
    holder.innerHTML = html || "";
    if (mode !== "both") {
      holder.content.querySelectorAll(".both").forEach((both) => {
        const one = both.querySelector(mode === "en" ? ".t-en" : ".t-zh");
        if (one) both.replaceWith(one);
      });
    }
    return holder.content;
  };

  const answerForm = (state) => {
    const q = state.question;
    return el("form", { method: "post", action: t.answerUrl, class: `live-answer answer-${q.type}`, "data-question-type": q.type },
      el("input", { type: "hidden", name: "csrf_token", value: t.csrf }),
      el("input", { type: "hidden", name: "position", value: state.position }),
      fragment(q.form));
  };

  // The prompt is on the projector: the phone shows it in two lines (under .js, in live.css) so the
  // answer buttons stay on the first screen, with a button to read all of it.
  const clampPrompt = () => {
    const prompt = stage.querySelector("h1.live-prompt");
    if (!prompt) return;
    const texts = [...prompt.querySelectorAll(".t")];
    const clipped = texts.some((text) => text.scrollHeight > text.clientHeight + 1);
    if (!clipped && !stage.classList.contains("expanded")) return;
    const button = el("button", { type: "button", class: "small show-all", "aria-expanded": "false" }, t.tShowAll);
    button.addEventListener("click", () => {
      const open = stage.classList.toggle("expanded");
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? t.tShowLess : t.tShowAll;
    });
    prompt.after(button);
  };

  const render = (state) => {
    current = state;
    const { s, me } = state;
    const nodes = [];
    if (me.nickname) play.querySelector("[data-nickname]").textContent = me.nickname;
    play.querySelector("[data-standing]").textContent = me.rank && (s.position > 1 || ["results", "leaderboard", "ended"].includes(s.phase))
      ? fill(t.tStanding, { score: me.score.toLocaleString(), rank: me.rank, total: s.players }) : "";
    if (me.removed) {
      nodes.push(el("h1", { class: "big-message" }, t.tRemoved));
    } else if (s.phase === "lobby") {
      nodes.push(el("h1", { class: "big-message" }, t.tWaiting));
    } else if (s.phase === "question" || s.phase === "results") {
      const q = s.question;
      nodes.push(el("p", { class: "meta question-meta" }, fill(t.tQuestion, { n: s.position, total: s.total })),
                 el("h1", { class: "prompt live-prompt" }, bilingual(q.prompt)), listen(q.prompt, q.audio), picture(q.image, "phone"));
      if (s.phase === "question" && me.given === undefined) {
        if (state.clock.remaining_ms !== null && state.clock.remaining_ms !== undefined) {
          nodes.push(el("p", { class: "timer", "data-timer": true, "data-remaining-ms": state.clock.remaining_ms,
                               "data-reading-ms": state.clock.reading_ms || 0,
                               "data-reading-label": t.tReading, "data-left-label": t.tLeft },
            el("span", { class: "timer-label" }, t.tLeft), " ", el("span", { class: "timer-value", "data-timer-value": true })));
        }
        nodes.push(answerForm(s));
      } else if (s.phase === "question") {
        nodes.push(el("p", { class: "big-message" }, t.tSent));
      } else {
        const r = me.result;
        const verdict = !r ? t.tNone : r.correct ? `✓ ${t.tRight}` : r.score > 0 ? `◐ ${t.tPartly}` : `✗ ${t.tWrong}`;
        nodes.push(el("p", { class: `verdict ${r && r.correct ? "right" : "wrong"}` }, verdict, " ",
                      r ? el("span", { class: "points" }, fill(t.tPoints, { points: r.points.toLocaleString() })) : null),
                   el("div", { class: "correct-answer" }, el("span", { class: "label" }, `${t.tCorrect}:`), " ", fragment(s.expected)),
                   el("p", { class: "explanation" }, bilingual(s.explanation)), listen(s.explanation));
      }
    } else if (s.phase === "leaderboard") {
      nodes.push(el("h1", {}, t.tLeaderboard));
      if (me.rank) nodes.push(el("p", { class: "place-big", "aria-hidden": "true" }, me.rank));
      if (me.rank) nodes.push(el("p", { class: "big-message" }, fill(t.tPlace, { rank: me.rank, total: s.players, score: me.score.toLocaleString() })));
    } else {
      nodes.push(el("h1", {}, t.tOver));
      if (me.rank) nodes.push(el("p", { class: "big-message" }, fill(t.tFinal, { rank: me.rank, total: s.players, score: me.score.toLocaleString() })));
      nodes.push(el("h2", {}, t.tPodium), el("ol", { class: "mini-podium" },
        (s.podium || []).map((p) => el("li", { value: p.rank }, `${p.nickname} · ${p.score.toLocaleString()}`))));
    }
    const expanded = stage.classList.contains("expanded") && String(s.v) === stage.dataset.version;
    stage.replaceChildren(...nodes);
    stage.className = `stage phase-${s.phase}${expanded ? " expanded" : ""}`;
    stage.dataset.version = s.v;
    clampPrompt();
    if (window.readAloud) window.readAloud.refresh(stage);
    startTimers(stage);
    tickTimers();
  };

  const receive = (text) => {
    const state = JSON.parse(text);
    if (current && state.s.v < current.s.v) return;  // an older answer from a slow poll
    if (current && state.s.v === current.s.v && current.me.given !== undefined && state.me.given === undefined) {
      state.me.given = current.me.given;  // our answer is sent even if the server's copy is older
    }
    render(state);
  };

  // One tap sends the answer; a lost connection is retried with the same answer, and the server
  // keeps the first one, so a retry or a double tap never counts twice.
  stage.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.live-answer");
    if (!form) return;
    event.preventDefault();
    const data = new FormData(form, event.submitter);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    say(t.tSending);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      try {
        const response = await fetch(t.answerUrl, { method: "POST", body: data, credentials: "same-origin",
                                                    headers: { Accept: "application/json" } });
        const body = await response.json().catch(() => ({ ok: false, error: t.tFailed }));  // e.g. an expired form
        if (body.ok) {
          say("");
          if (current && current.s.position === body.position) { current.me.given = body.given; render(current); }
          return;
        }
        say(body.error, "error");
        form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
        return;
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
    say(t.tFailed, "error");
    form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  });

  // The question language, chosen with a button: shown at once, and saved as this reader's one
  // setting (the server remembers it for their link, their browser and their account).
  const language = play.querySelector("form[data-live-language]");
  language.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!event.submitter) return;
    mode = event.submitter.value;
    language.querySelectorAll("button[name=mode]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button === event.submitter));
    });
    fetch(t.languageUrl, { method: "POST", body: new FormData(language, event.submitter), credentials: "same-origin",
                           headers: { Accept: "application/json" } }).catch(() => {});
    if (current) render(current);
  });

  const fetchState = async () => {
    try {
      const response = await fetch(t.stateUrl, { credentials: "same-origin" });
      if (response.ok) { say(""); receive(await response.text()); }
    } catch (error) { say(t.tOffline, "error"); }
  };

  clampPrompt();
  startTimers(stage);
  if (window.EventSource) {
    follow(t.eventsUrl, {
      message: (message) => { say(""); receive(message.data); },
      offline: () => { say(t.tOffline, "error"); },
      poll: fetchState,  // refused a stream: the same state as JSON now and then
    });
  } else {
    const poll = async () => { await fetchState(); setTimeout(poll, 2000); };
    poll();
  }
}

// Check-in steps: three plain-word choices, an intensity and an optional word.
// Your own answer stays visible to you; your partner's arrives (from the server)
// only once you have both answered, so neither answer shapes the other. The
// ladder's words (`ladder`: {state: {label, hint}}) come from the server, which
// shows the same words in summaries and charts, and so do the limits it checks an
// answer against (`limits`: {intensity_min, intensity_max, word_max}). An answer
// arrives with its `line` in words, as the summaries write it: nothing to compose here.
//
// The intensity starts with no value: a slider always has a position, so until the
// person moves (or taps) it, it says "not set" (to a screen reader too, by its
// aria-valuetext) and the answer goes without an intensity; "Leave it unset" takes a
// moved slider back to no value. An untouched answer is never stored as the middle.

import { gettext, interpolate, ngettext } from "../i18n.js";
import { capitalise, checkinWaitLine, nameOf, otherSeat } from "./words.js";

function answerCard(who, answer) {
  const card = document.createElement("div");
  card.className = `answer answer-${answer.state}`;
  const heading = document.createElement("p");
  heading.className = "answer-who";
  heading.textContent = who;
  const body = document.createElement("p");
  body.className = "answer-what";
  body.textContent = answer.line;
  card.append(heading, body);
  return card;
}

/**
 * The check-in's args from the form's fields (`data.get(name)`), within the server's
 * limits; returns {args} or {problem} in plain words. No intensity field (the slider
 * left unset) is an answer without an intensity.
 */
export function checkinArgs(data, ladder, limits) {
  const state = data.get("state");
  if (!state || !(state in ladder)) {
    return { problem: gettext("Choose the one that fits best right now — any answer is fine.") };
  }
  const { intensity_min: low, intensity_max: high, word_max: longest } = limits;
  const args = { state };
  const given = data.get("intensity");
  if (given !== null && given !== "") {
    const intensity = Number.parseInt(given, 10);
    if (!Number.isInteger(intensity) || intensity < low || intensity > high) {
      return { problem: interpolate(gettext("Set how strongly you feel it, from %(low)s to %(high)s."), { low, high }) };
    }
    args.intensity = intensity;
  }
  const word = String(data.get("word") || "").trim();
  if (word.length > longest) {
    return {
      problem: interpolate(
        ngettext("Keep the word to %(count)s character or fewer.", "Keep the word to %(count)s characters or fewer.", longest),
        { count: longest },
      ),
    };
  }
  if (word) args.word = word;
  return { args };
}

export class CheckinPanel {
  constructor(root, { ladder, limits, submit, showProblem }) {
    this.root = root;
    this.ladder = ladder;
    this.limits = limits;
    this.form = root.querySelector("#checkin-form");
    this.answers = root.querySelector("#checkin-answers");
    this.wait = root.querySelector("#checkin-wait");
    this.output = root.querySelector("#intensity-out");
    this.stepIndex = null;
    this.slider = this.form.querySelector("#intensity");
    this.intensitySet = false;
    // The way back to no value, beside the slider once it has one.
    this.unsetButton = document.createElement("button");
    this.unsetButton.type = "button";
    this.unsetButton.className = "btn btn-quiet btn-small intensity-unset";
    this.unsetButton.textContent = gettext("Leave it unset");
    this.unsetButton.addEventListener("click", () => {
      this.clearIntensity();
      this.slider.focus();
    });
    this.slider.after(this.unsetButton);
    // Moving it (by pointer, keys or a screen reader) sets it; so does a tap on the very
    // spot it rests on, which changes no value and so fires no input event.
    const touch = () => this.setIntensity();
    this.slider.addEventListener("input", touch);
    this.slider.addEventListener("change", touch);
    this.slider.addEventListener("pointerup", touch);
    this.clearIntensity();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(this.form);
      if (!this.intensitySet) data.delete("intensity");
      const read = checkinArgs(data, this.ladder, this.limits);
      if (read.problem) showProblem(read.problem);
      else submit(read.args, this.form.querySelector("button[type=submit]"));
    });
  }

  /** The slider holds a value the person chose: show it, and offer to take it back. */
  setIntensity() {
    this.intensitySet = true;
    this.output.textContent = this.slider.value;
    this.slider.removeAttribute("aria-valuetext");
    this.slider.classList.remove("is-unset");
    this.unsetButton.hidden = false;
  }

  /** No intensity: the slider rests where it starts, says "not set", and sends nothing. */
  clearIntensity() {
    const notSet = gettext("not set");
    this.intensitySet = false;
    this.slider.value = this.slider.defaultValue;
    this.output.textContent = notSet;
    this.slider.setAttribute("aria-valuetext", notSet);
    this.slider.classList.add("is-unset");
    this.unsetButton.hidden = true;
  }

  render(snap) {
    const step = snap.step;
    if (step.index !== this.stepIndex) {
      this.stepIndex = step.index;
      this.form.reset();
      this.clearIntensity();
    }
    const answers = (snap.checkins && snap.checkins[String(step.index)]) || { a: null, b: null };
    const answered = step.answered || [];
    const you = snap.you;
    const isPartner = you === "a" || you === "b";
    this.form.hidden = !(snap.can || []).includes("checkin");
    this.answers.replaceChildren();
    const order = isPartner ? [you, otherSeat(you)] : ["a", "b"];
    for (const seat of order) {
      const answer = answers[seat];
      if (answer) this.answers.append(answerCard(capitalise(nameOf(snap, seat)), answer));
    }
    this.answers.hidden = this.answers.childElementCount === 0;
    const bothIn = answered.includes("a") && answered.includes("b");
    const wait = checkinWaitLine(snap, answered);
    this.wait.textContent = wait;
    this.wait.hidden = !wait;
    return bothIn;
  }
}

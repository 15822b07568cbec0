// Check-in steps: three plain-word choices, an intensity and an optional word.
// Your own answer stays visible to you; your partner's arrives (from the server)
// only once you have both answered, so neither answer shapes the other. The
// ladder's words (`ladder`: {state: {label, hint}}) come from the server, which
// shows the same words in summaries and charts, and so do the limits it checks an
// answer against (`limits`: {intensity_min, intensity_max, word_max}). An answer
// arrives with its `line` in words, as the summaries write it: nothing to compose here.

import { capitalise, nameOf, otherSeat } from "./words.js";

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
 * limits; returns {args} or {problem} in plain words.
 */
export function checkinArgs(data, ladder, limits) {
  const state = data.get("state");
  if (!state || !(state in ladder)) {
    return { problem: "Choose the one that fits best right now — any answer is fine." };
  }
  const intensity = Number.parseInt(data.get("intensity"), 10);
  const { intensity_min: low, intensity_max: high, word_max: longest } = limits;
  if (!Number.isInteger(intensity) || intensity < low || intensity > high) {
    return { problem: `Set how strongly you feel it, from ${low} to ${high}.` };
  }
  const args = { state, intensity };
  const word = String(data.get("word") || "").trim();
  if (word.length > longest) return { problem: `Keep the word to ${longest} characters or fewer.` };
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
    const slider = this.form.querySelector("#intensity");
    slider.addEventListener("input", () => {
      this.output.textContent = slider.value;
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const read = checkinArgs(new FormData(this.form), this.ladder, this.limits);
      if (read.problem) showProblem(read.problem);
      else submit(read.args, this.form.querySelector("button[type=submit]"));
    });
  }

  render(snap) {
    const step = snap.step;
    if (step.index !== this.stepIndex) {
      this.stepIndex = step.index;
      this.form.reset();
      this.output.textContent = this.form.querySelector("#intensity").value;
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
    let wait = "";
    if (isPartner && answered.includes(you) && !bothIn) {
      const other = capitalise(nameOf(snap, otherSeat(you)));
      wait = `Waiting for ${other} to check in. You'll see each other's answers together.`;
    } else if (isPartner && !bothIn && answered.includes(otherSeat(you))) {
      const other = capitalise(nameOf(snap, otherSeat(you)));
      wait = `${other} has checked in. You'll see both answers once you've shared yours — take your time.`;
    } else if (!isPartner && !bothIn) {
      const waiting = ["a", "b"].filter((seat) => !answered.includes(seat));
      wait = `Waiting for ${waiting.map((seat) => capitalise(nameOf(snap, seat))).join(" and ")} to check in.`;
    } else if (bothIn && !isPartner) {
      wait = `${capitalise(nameOf(snap, "a"))} and ${capitalise(nameOf(snap, "b"))} have both checked in. The room moves on once they're both ready, or when you move it on.`;
    } else if (bothIn) {
      wait = "You've both checked in. Take a moment with each other's answers, then continue when you're ready.";
    }
    this.wait.textContent = wait;
    this.wait.hidden = !wait;
    return bothIn;
  }
}

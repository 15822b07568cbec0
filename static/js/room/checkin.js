// Check-in steps: three plain-word choices, an intensity and an optional word.
// Your own answer stays visible to you; your partner's arrives (from the server)
// only once you have both answered, so neither answer shapes the other. The
// ladder's words (`ladder`: {state: {label, hint}}) come from the server, which
// shows the same words in summaries and charts.

import { capitalise, nameOf, otherSeat } from "./words.js";

export function describeAnswer(answer, ladder) {
  const rung = ladder[answer.state];
  const label = rung ? rung.label : answer.state;
  const word = answer.word ? ` — “${answer.word}”` : "";
  return `${label}, ${answer.intensity} of 10${word}`;
}

function answerCard(who, answer, ladder) {
  const card = document.createElement("div");
  card.className = `answer answer-${answer.state}`;
  const heading = document.createElement("p");
  heading.className = "answer-who";
  heading.textContent = who;
  const body = document.createElement("p");
  body.className = "answer-what";
  body.textContent = describeAnswer(answer, ladder);
  card.append(heading, body);
  return card;
}

/** Reads the form; returns {args} or {problem} in plain words. */
export function readCheckinForm(form, ladder) {
  const data = new FormData(form);
  const state = data.get("state");
  if (!state || !(state in ladder)) {
    return { problem: "Choose the one that fits best right now — any answer is fine." };
  }
  const intensity = Number.parseInt(data.get("intensity"), 10);
  if (!Number.isInteger(intensity) || intensity < 0 || intensity > 10) {
    return { problem: "Set how strongly you feel it, from 0 to 10." };
  }
  const args = { state, intensity };
  const word = String(data.get("word") || "").trim();
  if (word.length > 40) return { problem: "Keep the word to 40 characters or fewer." };
  if (word) args.word = word;
  return { args };
}

export class CheckinPanel {
  constructor(root, { ladder, submit, showProblem }) {
    this.root = root;
    this.ladder = ladder;
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
      const read = readCheckinForm(this.form, this.ladder);
      if (read.problem) showProblem(read.problem);
      else submit(read.args, this.form.querySelector("button[type=submit]"));
    });
  }

  render(snap) {
    const step = snap.step;
    if (step.index !== this.stepIndex) {
      this.stepIndex = step.index;
      this.form.reset();
      this.output.textContent = "5";
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
      if (answer) this.answers.append(answerCard(capitalise(nameOf(snap, seat)), answer, this.ladder));
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
    } else if (bothIn) {
      wait = "You've both checked in. Take a moment with each other's answers, then continue when you're ready.";
    }
    this.wait.textContent = wait;
    this.wait.hidden = !wait;
    return bothIn;
  }
}

// The month at a glance: the four cards, expenses by category (chart and table), the trend.
import { change, plot, rate } from "../money.js";
import { cell } from "../forms.js";

const charts = {};
const palette = ["#1d4e89", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#c06e52"];

function setText(testid, text) {
  document.querySelector(`[data-testid="${testid}"]`).textContent = text;
}

function setChange(id, delta, unit) {
  const node = document.getElementById(id);
  node.textContent = delta === null ? "" : `${delta}${unit} vs previous month`;
  node.classList.toggle("up", delta !== null && delta.startsWith("+"));
  node.classList.toggle("down", delta !== null && delta.startsWith("-"));
}

export function renderCards(summary) {
  const previous = summary.previous_period;
  setText("total-income", summary.total_income);
  setText("total-expenses", summary.total_expenses);
  setText("net", summary.net);
  setText("savings-rate", summary.savings_rate ?? "n/a");
  document.querySelectorAll(".cards .currency").forEach((node) => (node.textContent = summary.currency));
  const cur = ` ${summary.currency}`;
  setChange("change-income", change(summary.total_income, previous.total_income), cur);
  setChange("change-expenses", change(summary.total_expenses, previous.total_expenses), cur);
  setChange("change-net", change(summary.net, previous.net), cur);
  const before = rate(previous.net, previous.total_income);
  setChange(
    "change-rate",
    summary.savings_rate === null || before === null ? null : change(summary.savings_rate, before),
    " points",
  );
}

function draw(id, config) {
  if (!window.Chart) return; // the page still shows every number without the charts
  if (charts[id]) charts[id].destroy();
  charts[id] = new window.Chart(document.getElementById(id), config);
}

export function renderCategories(summary) {
  const rows = summary.expenses_by_category.map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "category-row";
    tr.append(
      cell(entry.category),
      cell(`${entry.total} ${summary.currency}`, "num"),
      cell(`${entry.percent} %`, "num"),
    );
    return tr;
  });
  document.getElementById("category-rows").replaceChildren(...rows);
  document.getElementById("category-empty").hidden = rows.length > 0;
  draw("category-chart", {
    type: "doughnut",
    data: {
      labels: summary.expenses_by_category.map((e) => e.category),
      datasets: [
        {
          data: summary.expenses_by_category.map((e) => plot(e.total)),
          backgroundColor: summary.expenses_by_category.map((_, i) => palette[i % palette.length]),
        },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } },
  });
}

export function renderTrend(trends) {
  const months = trends.months;
  // The chart's figures as text too: for a screen reader, and for anyone who wants the cents.
  const rows = months.map((m) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "trend-row";
    tr.append(cell(m.month), ...["total_income", "total_expenses", "net"].map((k) => cell(m[k], "num")));
    return tr;
  });
  document.getElementById("trend-rows").replaceChildren(...rows);
  const series = (label, key, color, type = "bar") => ({
    type,
    label,
    data: months.map((m) => plot(m[key])),
    backgroundColor: color,
    borderColor: color,
  });
  draw("trend-chart", {
    data: {
      labels: months.map((m) => m.month),
      datasets: [
        series("Net", "net", "#1d4e89", "line"),
        series("Income", "total_income", "#66a182"),
        series("Expenses", "total_expenses", "#d1495b"),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } },
      scales: { x: { ticks: { maxRotation: 0, autoSkip: true } } },
    },
  });
}

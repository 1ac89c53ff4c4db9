// The seat map of one hall: built once from a compact layout, then changed seat by seat.
//
// Props (sent once): layout = {cols, cats: [[code, name, price]], rows: [[label, gridRow, cat, pattern, ids?]]}
// where pattern has one char per grid column (s seat, w wheelchair, c companion, x blocked, _ gap);
// status = {seatId: code} for seats that are not simply free; labels = translated texts.
// Status codes: a available, m mine (selected), p pending (waiting for the server), h held by others,
// s sold, b blocked. Afterwards only diffs arrive: applyChanges([[seatId, code], ...], live).
// focus_px (optional, the kiosk's): whenever the viewer's own seats change, zoom so a seat is at least this
// many screen px wide, centred on those seats (a finger needs >= 48 px); 0 keeps the web's fit-the-hall view.
//
// Rendering: one absolutely positioned <div role="gridcell"> per seat inside a plane that is zoomed and
// panned with a CSS transform (compositor only: no re-layout on zoom), rows as ARIA rows, roving tabindex.
// Mounting reads the map's width once, before the seats exist, and sets every class and size the seats
// depend on before inserting them: the browser styles and lays out the 2,000 seats once, not after each read.
// Zoomed and panned past the row letters, the letters show in a gutter column at the left and the plane is
// clipped to the right of it, so a letter never covers a seat ("W 21" never reads "W1").

const U = 30; // grid pitch in plane px
const SEAT_W = 24;
const SEAT_H = 22;
const GUTTER = 36; // row letters on both sides
const RAIL_W = 34; // the row letters' column while zoomed (seat_grid.css: .sg-railed .sg-clip)
const BAND_H = 44; // category band header
const AISLE_H = 22; // a walkway row
const PAD = 14;
const TOUCH_SEAT_PX = 36; // on-screen seat width a tap zooms to on touch screens
const MIN_TAP_PX = 20; // below this a touch tap zooms in instead of picking a seat

const STATUS_CLASSES = ["st-a", "st-m", "st-p", "st-h", "st-s", "st-b"];
const TAKEN = new Set(["h", "s", "b"]);

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
}

export default {
  template: `
    <div class="sg" ref="root" :class="{ 'sg-web': !focus_px }">
      <div class="sg-bar">
        <div class="sg-bar-slot"><slot></slot></div>
        <div class="sg-zoom">
          <button type="button" class="sg-zb sg-acc-btn" :class="{ on: accOnly }" :aria-pressed="String(accOnly)"
                  :title="labels.accessible_hint" @click="toggleAccessible">
            <i class="material-icons" aria-hidden="true">accessible</i><span>{{ labels.accessible }}</span></button>
          <button type="button" class="sg-zb" :aria-label="labels.zoom_out" :title="labels.zoom_out" @click="zoomBy(1 / 1.5)">
            <i class="material-icons" aria-hidden="true">remove</i></button>
          <button type="button" class="sg-zb" :aria-label="labels.zoom_in" :title="labels.zoom_in" @click="zoomBy(1.5)">
            <i class="material-icons" aria-hidden="true">add</i></button>
          <button type="button" class="sg-zb" :aria-label="labels.fit" :title="labels.fit" @click="fit(true)">
            <i class="material-icons" aria-hidden="true">fit_screen</i></button>
        </div>
      </div>
      <div class="sg-screen" aria-hidden="true">
        <svg viewBox="0 0 400 34" preserveAspectRatio="none">
          <defs>
            <linearGradient id="sgScreenGlow" x1="0" x2="0" y1="0" y2="1">
              <stop offset="0" stop-color="#c4b5fd" stop-opacity=".55" />
              <stop offset="1" stop-color="#c4b5fd" stop-opacity="0" />
            </linearGradient>
          </defs>
          <path d="M8 26 Q200 -2 392 26 L392 34 Q200 8 8 34 Z" fill="url(#sgScreenGlow)" />
          <path d="M8 26 Q200 -2 392 26" fill="none" stroke="#ddd6fe" stroke-width="2.5" stroke-linecap="round" />
        </svg>
        <div class="sg-screen-text">{{ labels.screen }}</div>
      </div>
      <div class="sg-vp" ref="vp">
        <div class="sg-clip"><div class="sg-plane" ref="plane"></div></div>
        <div class="sg-rail" ref="rail" aria-hidden="true"></div>
        <div class="sg-hint" ref="hint" aria-hidden="true">{{ labels.zoom_hint }}</div>
        <div class="sg-tip" ref="tip" aria-hidden="true"></div>
      </div>
      <div class="sg-legend" role="list" :aria-label="labels.legend_title">
        <div v-for="(cat, i) in layout.cats" :key="cat[0]" class="sg-li" role="listitem">
          <span :class="'sg-sw c' + i" aria-hidden="true"></span><b>{{ cat[1] }}</b>&nbsp;{{ cat[2] }}</div>
        <span class="sg-legend-break" aria-hidden="true"></span>
        <div v-for="item in legend" :key="item[1]" class="sg-li" role="listitem"><span :class="'sg-sw ' + item[0]" aria-hidden="true">
          <i v-if="item[2]" class="material-icons">{{ item[2] }}</i></span>{{ item[1] }}</div>
      </div>
    </div>
  `,
  props: {
    layout: Object,
    status: Object,
    labels: Object,
    focus_px: { type: Number, default: 0 },
  },
  data() {
    return { accOnly: false }; // the "accessible seats" filter: highlights wheelchair spaces and companion seats
  },
  computed: {
    legend() {
      const l = this.labels.legend;
      return [
        ["st-a sw-plain", l.a],
        ["st-m", l.m],
        ["st-h", l.h],
        ["st-s", l.s],
        ["st-a sw-acc", l.w, "accessible"],
        ["st-a sw-acc", l.c, "group"],
        ["st-b", l.b],
      ];
    },
  },
  mounted() {
    window.performance?.mark?.("seat-grid-build-start");
    this.view = { s: 1, x: 0, y: 0, fit: 1, zoomed: false };
    this.vpWidth = this.$refs.root.clientWidth; // the one read while mounting (no seats to lay out yet)
    this.build(this.status || {});
    this.pointers = new Map();
    this.bindPointer();
    this.bindKeyboard();
    // On the kiosk a resize of its card (rotation, wheelchair mode) brings my seats back into the middle;
    // the map's own resizes (zooming out to the whole hall) must not undo what the customer asked for.
    this.resizeObserver = new ResizeObserver((entries) => {
      // Called after a layout: reading the width here forces nothing.
      this.vpWidth = this.$refs.root.clientWidth;
      this.fit(false);
      if (entries.some((entry) => entry.target !== this.$refs.root)) this.focusMine();
    });
    this.resizeObserver.observe(this.$refs.root);
    // The kiosk sizes the map to its card: watch the card too (wheelchair mode shrinks it, not the map).
    if (this.focus_px && this.$refs.root.parentElement) this.resizeObserver.observe(this.$refs.root.parentElement);
    this.focusMine();
    this.$refs.root.dataset.ready = "1";
    window.performance?.mark?.("seat-grid-ready");
    requestAnimationFrame(() => requestAnimationFrame(() => window.performance?.mark?.("seat-grid-painted")));
  },
  unmounted() {
    this.resizeObserver?.disconnect();
  },
  methods: {
    toggleAccessible() {
      // The root's other classes (sg-zoomed, sg-nonum) are set by hand: toggle this one by hand too, so a
      // re-render of the root's class binding never wipes them.
      this.accOnly = !this.accOnly;
      this.$refs.root.classList.toggle("sg-acc-only", this.accOnly);
    },
    // Building ------------------------------------------------------------------------------------
    build(status) {
      // One HTML string, statuses and labels included: no second pass over 2,000 elements.
      const { cols, cats, rows } = this.layout;
      const L = this.labels;
      const seats = [];
      const html = [];
      const rowOf = [];
      let y = PAD;
      let prevGridRow = -1;
      let prevCat = -1;
      const width = GUTTER * 2 + cols * U;
      const codes = [];
      for (const [label, gridRow, rowCat, pattern, ids, seatCats] of rows) {
        const cat = rowCat;
        if (prevGridRow >= 0) y += Math.max(0, gridRow - prevGridRow - 1) * AISLE_H;
        if (cat !== prevCat) {
          const [, name, price] = cats[cat];
          html.push(`<div class="sg-band" aria-hidden="true" style="top:${y}px;left:${GUTTER}px;width:${cols * U}px">` +
            `<span>${esc(name)} · ${esc(price)}</span></div>`);
          y += BAND_H;
          prevCat = cat;
        }
        const rowIndex = rowOf.length;
        const members = [];
        html.push(`<div role="row" aria-label="${esc(fill(L.row, { row: label }))}">`);
        html.push(`<div class="sg-rl" role="rowheader" style="top:${y}px;left:0">${esc(label)}</div>`);
        let k = 0;
        for (let col = 0; col < pattern.length; col++) {
          const ch = pattern[col];
          if (ch === "_") continue;
          const id = ids ? ids[k] : label + (k + 1);
          const number = ids ? id.slice(label.length) || String(k + 1) : String(k + 1);
          k += 1;
          const i = seats.length;
          const seatCat = seatCats ? seatCats[k - 1] : cat;
          const seat = { id, row: label, number, col, rowIndex, cat: seatCat, kind: ch === "x" ? "s" : ch, blocked: ch === "x" };
          seats.push(seat);
          members.push(i);
          const code = seat.blocked ? "b" : status[id] || "a";
          codes.push(code);
          const icon = ch === "w" ? "accessible" : ch === "c" ? "group" : "";
          const inner = icon ? `<i class="material-icons" aria-hidden="true">${icon}</i>` : esc(number);
          html.push(`<div class="sg-seat c${seatCat}${icon ? " acc" : ""} st-${code}" role="gridcell" tabindex="-1" ` +
            `data-i="${i}" aria-label="${esc(this.labelFor(seat, code))}" aria-selected="${code === "m"}"` +
            `${TAKEN.has(code) ? ' aria-disabled="true"' : ""} ` +
            `style="left:${GUTTER + col * U + (U - SEAT_W) / 2}px;top:${y + (U - SEAT_H) / 2}px">${inner}</div>`);
        }
        html.push(`<div class="sg-rl" aria-hidden="true" style="top:${y}px;left:${width - GUTTER}px">${esc(label)}</div>`);
        html.push(`</div>`);
        rowOf.push({ label, members, y });
        y += U;
        prevGridRow = gridRow;
      }
      const plane = this.$refs.plane;
      plane.setAttribute("role", "grid");
      plane.setAttribute("aria-label", L.grid);
      plane.style.width = `${width}px`;
      plane.style.height = `${y + PAD}px`;
      // Scale, viewport height and the classes that restyle seats (sg-nonum) first, then the seats.
      this.size = { w: width, h: y + PAD };
      this.fit(true);
      this.settle();
      plane.innerHTML = html.join("");
      this.$refs.rail.innerHTML = rowOf
        .map((row) => `<div class="sg-rail-l" style="top:${row.y}px"><span>${esc(row.label)}</span></div>`)
        .join("");
      this.seats = seats;
      this.rows = rowOf;
      this.byId = new Map(seats.map((seat, i) => [seat.id, i]));
      this.els = Array.from(plane.querySelectorAll(".sg-seat"));
      this.codes = codes;
      this.focusIndex = seats.findIndex((seat) => !seat.blocked);
      if (this.focusIndex < 0) this.focusIndex = 0;
      if (this.els.length) this.els[this.focusIndex].tabIndex = 0;
    },
    label(i) {
      return this.labelFor(this.seats[i], this.codes[i]);
    },
    labelFor(seat, code) {
      const L = this.labels;
      const [, name, price] = this.layout.cats[seat.cat];
      let text = fill(L.seat, { row: seat.row, n: seat.number, cat: name, price, status: L.status[code] });
      if (seat.kind === "w" || seat.kind === "c") text += ", " + L.kind[seat.kind];
      return text;
    },
    paint(i, code, flash) {
      const el = this.els[i];
      this.codes[i] = code;
      el.classList.remove(...STATUS_CLASSES);
      el.classList.add("st-" + code);
      el.setAttribute("aria-label", this.label(i));
      if (i === this.tipIndex) this.$refs.tip.textContent = this.tipText(i); // the seat under the mouse changed
      el.setAttribute("aria-selected", code === "m" || code === "p" ? "true" : "false");
      if (TAKEN.has(code)) el.setAttribute("aria-disabled", "true");
      else el.removeAttribute("aria-disabled");
      if (flash) {
        el.classList.remove("flash");
        void el.offsetWidth; // restart the animation
        el.classList.add("flash");
      }
    },
    applyStatus(status) {
      for (let i = 0; i < this.seats.length; i++) {
        const seat = this.seats[i];
        this.paint(i, seat.blocked ? "b" : status[seat.id] || "a", false);
      }
    },
    // Called from Python ------------------------------------------------------------------------------
    applyChanges(changes, live) {
      for (const [id, code] of changes) {
        const i = this.byId.get(id);
        if (i === undefined || this.seats[i].blocked) continue;
        if (this.codes[i] !== code) this.paint(i, code, live && code !== "m");
      }
      if (changes.some(([, code]) => code === "m")) this.focusMine();
      this.$refs.root.dataset.version = String((Number(this.$refs.root.dataset.version) || 0) + 1);
    },
    resync(status) {
      this.applyStatus(status || {});
      this.focusMine();
    },
    focusSeat(id) {
      const i = this.byId.get(id);
      if (i !== undefined) this.moveFocus(i);
    },
    // Picking ------------------------------------------------------------------------------------------
    pick(i) {
      const code = this.codes[i];
      if (code === "p") return;
      if (code === "a" || code === "m") this.paint(i, "p", false);
      this.$emit("seat", { id: this.seats[i].id, was: code });
    },
    // Zoom and pan ---------------------------------------------------------------------------------------
    fit(reset) {
      const width = this.vpWidth;
      if (!width || !this.size) return;
      const fitScale = Math.min(width / this.size.w, 1.35);
      this.fitHeight = Math.max(Math.ceil(this.size.h * fitScale), 160);
      this.view.fit = fitScale;
      if (reset || !this.view.zoomed || this.view.s < fitScale) {
        this.view.s = fitScale;
        this.view.zoomed = false;
      }
      this.apply();
    },
    focusMine() {
      // Kiosk only: zoom to touch size around my seats and keep them in the middle of the viewport.
      if (!this.focus_px || !this.size) return;
      const mine = [];
      for (let i = 0; i < this.codes.length; i++) if (this.codes[i] === "m") mine.push(i);
      if (!mine.length) return;
      const v = this.view;
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const i of mine) {
        const seat = this.seats[i];
        const x = GUTTER + seat.col * U;
        const y = this.rows[seat.rowIndex].y;
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + U), Math.max(y1, y + U)];
      }
      v.s = Math.max(v.fit, (this.focus_px + 0.5) / Math.min(SEAT_W, SEAT_H)); // + 0.5: no 47.99 px seat
      v.zoomed = v.s > v.fit * 1.01;
      this.apply(); // sizes the viewport for this scale first (its width and height as apply() knows them)
      v.x = this.vpWidth / 2 - ((x0 + x1) / 2) * v.s;
      v.y = this.vpHeight / 2 - ((y0 + y1) / 2) * v.s;
      this.apply();
    },
    zoomBy(factor, px, py) {
      const vp = this.$refs.vp;
      this.zoomTo(this.view.s * factor, px ?? vp.clientWidth / 2, py ?? vp.clientHeight / 2);
    },
    zoomTo(scale, px, py) {
      const v = this.view;
      const maxScale = Math.max(v.fit, 2.2, (this.focus_px * 1.5) / SEAT_H);
      const next = Math.min(Math.max(scale, v.fit), maxScale);
      v.x = px - ((px - v.x) * next) / v.s;
      v.y = py - ((py - v.y) * next) / v.s;
      v.s = next;
      v.zoomed = next > v.fit * 1.01;
      this.apply();
    },
    apply() {
      const v = this.view;
      const vp = this.$refs.vp;
      // Zoomed in on a small screen, the map grows to most of the screen's height (more seats in view);
      // on the kiosk it fills the card it sits in (less in wheelchair mode), so my seats stay on screen.
      const room = this.focus_px ? this.roomHeight() : window.innerHeight * 0.62;
      const height = v.zoomed
        ? Math.round(Math.min(this.size.h * v.s, Math.max(this.focus_px ? 160 : this.fitHeight, room)))
        : this.fitHeight;
      if (height !== this.vpHeight) {
        vp.style.height = `${height}px`;
        this.vpHeight = height;
      }
      const vw = this.vpWidth; // the map's own width (ResizeObserver), its height as just set: no layout read
      const vh = height;
      const w = this.size.w * v.s;
      const h = this.size.h * v.s;
      v.x = w <= vw ? (vw - w) / 2 : Math.min(0, Math.max(vw - w, v.x));
      v.y = h <= vh ? (vh - h) / 2 : Math.min(0, Math.max(vh - h, v.y));
      this.$refs.plane.style.transform = `translate(${v.x}px, ${v.y}px) scale(${v.s})`;
      // Row letters stay on screen while panning: one transform for the rail, labels counter-scaled.
      const rail = this.$refs.rail;
      rail.style.transform = `translate(0, ${v.y}px) scale(1, ${v.s})`;
      rail.style.setProperty("--inv", String(1 / v.s));
      const railed = v.zoomed && v.x < -GUTTER * v.s * 0.6;
      if (railed !== this.railed) {
        this.railed = railed;
        rail.classList.toggle("show", railed);
        vp.classList.toggle("sg-railed", railed); // clips the plane to the right of the letters' column
      }
      this.scheduleSettle();
    },
    roomHeight() {
      // The height the viewport may take: its scrolling container's inner height minus the bar and legend.
      const root = this.$refs.root;
      const box = root.parentElement;
      if (!box) return window.innerHeight * 0.62;
      const style = getComputedStyle(box);
      const inner = box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return Math.max(160, inner - (root.offsetHeight - this.$refs.vp.offsetHeight));
    },
    scheduleSettle() {
      // What restyles every seat (numbers on/off, touch-action) waits until a zoom gesture pauses, so the
      // frames of the gesture itself only move one composited layer.
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.settle(), 160);
    },
    settle() {
      const v = this.view;
      const root = this.$refs.root;
      const vp = this.$refs.vp;
      root.classList.toggle("sg-zoomed", v.zoomed);
      root.classList.toggle("sg-nonum", SEAT_W * v.s < 15);
      const touchAction = v.zoomed ? "none" : "pan-y";
      if (vp.style.touchAction !== touchAction) vp.style.touchAction = touchAction;
      this.$refs.hint.classList.toggle("show", !v.zoomed && SEAT_W * v.s < MIN_TAP_PX);
    },
    seatAt(target) {
      const el = target?.closest?.(".sg-seat");
      return el ? Number(el.dataset.i) : -1;
    },
    bindPointer() {
      const vp = this.$refs.vp;
      let start = null;
      let pinch = null;
      this.suppressClick = false;
      this.lastPointerType = "mouse";
      vp.addEventListener("pointerdown", (e) => {
        if (e.target.closest(".sg-zoom")) return;
        this.lastPointerType = e.pointerType;
        this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
        if (this.pointers.size === 1) {
          start = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
        } else if (this.pointers.size === 2) {
          const [a, b] = [...this.pointers.values()];
          const rect = vp.getBoundingClientRect();
          pinch = {
            d: Math.hypot(a.x - b.x, a.y - b.y) || 1,
            s: this.view.s,
            mx: (a.x + b.x) / 2 - rect.left,
            my: (a.y + b.y) / 2 - rect.top,
            vx: this.view.x,
            vy: this.view.y,
          };
          if (start) start.moved = true;
        }
      });
      vp.addEventListener("pointermove", (e) => {
        this.hover(e);
        if (!this.pointers.has(e.pointerId)) return;
        this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
        if (pinch && this.pointers.size >= 2) {
          const [a, b] = [...this.pointers.values()];
          const rect = vp.getBoundingClientRect();
          const d = Math.hypot(a.x - b.x, a.y - b.y) || 1;
          const mx = (a.x + b.x) / 2 - rect.left;
          const my = (a.y + b.y) / 2 - rect.top;
          const v = this.view;
          const next = Math.min(Math.max((pinch.s * d) / pinch.d, v.fit), Math.max(v.fit, 2.2));
          // keep the plane point that was under the fingers' midpoint under it
          v.x = mx - ((pinch.mx - pinch.vx) * next) / pinch.s;
          v.y = my - ((pinch.my - pinch.vy) * next) / pinch.s;
          v.s = next;
          v.zoomed = next > v.fit * 1.01;
          this.apply();
          e.preventDefault();
          return;
        }
        if (!start) return;
        const dx = e.clientX - start.x;
        const dy = e.clientY - start.y;
        if (!start.moved && Math.hypot(dx, dy) > 6 && this.view.zoomed) {
          start.moved = true;
          vp.setPointerCapture?.(e.pointerId);
        }
        if (start.moved && this.view.zoomed && !pinch) {
          this.view.x = start.vx + dx;
          this.view.y = start.vy + dy;
          this.apply();
        }
      });
      const end = (e) => {
        this.pointers.delete(e.pointerId);
        if (this.pointers.size < 2) pinch = null;
        if (this.pointers.size === 0) {
          if (start?.moved) this.suppressClick = true;
          start = null;
        }
      };
      vp.addEventListener("pointerup", end);
      vp.addEventListener("pointercancel", end);
      vp.addEventListener("pointerleave", () => this.hideTip());
      vp.addEventListener("click", (e) => {
        if (this.suppressClick) {
          this.suppressClick = false;
          return;
        }
        const i = this.seatAt(e.target);
        if (i < 0) return;
        const rect = vp.getBoundingClientRect();
        if (this.lastPointerType === "touch" && SEAT_W * this.view.s < MIN_TAP_PX && e.detail > 0) {
          // A finger can't hit a 6 px seat: zoom in around it first.
          this.zoomTo(TOUCH_SEAT_PX / SEAT_W, e.clientX - rect.left, e.clientY - rect.top);
          return;
        }
        this.moveFocus(i, false);
        this.pick(i);
      });
      vp.addEventListener("dblclick", (e) => {
        if (this.seatAt(e.target) >= 0) return;
        const rect = vp.getBoundingClientRect();
        this.zoomBy(1.8, e.clientX - rect.left, e.clientY - rect.top);
      });
      vp.addEventListener(
        "wheel",
        (e) => {
          const rect = vp.getBoundingClientRect();
          if (e.ctrlKey || e.metaKey) {
            e.preventDefault();
            this.zoomBy(Math.exp(-e.deltaY / 300), e.clientX - rect.left, e.clientY - rect.top);
          } else if (this.view.zoomed) {
            e.preventDefault();
            this.view.x -= e.deltaX;
            this.view.y -= e.deltaY;
            this.apply();
          }
        },
        { passive: false },
      );
    },
    hover(e) {
      if (e.pointerType !== "mouse") return;
      const i = this.seatAt(e.target);
      const tip = this.$refs.tip;
      if (i < 0) return this.hideTip();
      this.tipIndex = i;
      tip.textContent = this.tipText(i);
      const rect = this.$refs.vp.getBoundingClientRect();
      const seatRect = this.els[i].getBoundingClientRect();
      // Centred over the seat, but kept inside the map so it is never cut off at an edge.
      const half = tip.offsetWidth / 2 + 4;
      const centre = seatRect.left + seatRect.width / 2 - rect.left;
      tip.style.left = `${Math.min(Math.max(centre, half), rect.width - half)}px`;
      tip.style.top = `${seatRect.top - rect.top}px`;
      tip.classList.add("show");
    },
    tipText(i) {
      const seat = this.seats[i];
      const [, name, price] = this.layout.cats[seat.cat];
      return `${seat.row}${seat.number} · ${name} · ${price} · ${this.labels.status[this.codes[i]]}`;
    },
    hideTip() {
      this.tipIndex = -1;
      this.$refs.tip.classList.remove("show");
    },
    // Keyboard: one tab stop for the whole map, arrows move between seats --------------------------------
    bindKeyboard() {
      this.$refs.plane.addEventListener("keydown", (e) => {
        const i = this.seatAt(e.target);
        if (i < 0) return;
        let next = -1;
        const seat = this.seats[i];
        const members = this.rows[seat.rowIndex].members;
        const k = members.indexOf(i);
        switch (e.key) {
          case "ArrowLeft":
            next = members[Math.max(0, k - 1)];
            break;
          case "ArrowRight":
            next = members[Math.min(members.length - 1, k + 1)];
            break;
          case "Home":
            next = members[0];
            break;
          case "End":
            next = members[members.length - 1];
            break;
          case "ArrowUp":
            next = this.nearestIn(seat.rowIndex - 1, seat.col);
            break;
          case "ArrowDown":
            next = this.nearestIn(seat.rowIndex + 1, seat.col);
            break;
          case " ":
          case "Enter":
            e.preventDefault();
            this.pick(i);
            return;
          case "+":
          case "=":
            this.zoomBy(1.5);
            break;
          case "-":
            this.zoomBy(1 / 1.5);
            break;
          default:
            return;
        }
        e.preventDefault();
        if (next >= 0) this.moveFocus(next);
      });
    },
    nearestIn(rowIndex, col) {
      const row = this.rows[rowIndex];
      if (!row) return -1;
      let best = -1;
      let bestDistance = Infinity;
      for (const i of row.members) {
        const distance = Math.abs(this.seats[i].col - col);
        if (distance < bestDistance) {
          best = i;
          bestDistance = distance;
        }
      }
      return best;
    },
    moveFocus(i, focus = true) {
      if (this.els[this.focusIndex]) this.els[this.focusIndex].tabIndex = -1;
      this.focusIndex = i;
      const el = this.els[i];
      el.tabIndex = 0;
      if (focus) {
        el.focus({ preventScroll: true });
        this.ensureVisible(i);
      }
    },
    ensureVisible(i) {
      if (!this.view.zoomed) return;
      const vp = this.$refs.vp;
      const seat = this.seats[i];
      const v = this.view;
      const cx = (GUTTER + seat.col * U + U / 2) * v.s + v.x;
      const cy = (this.rows[seat.rowIndex].y + U / 2) * v.s + v.y;
      const margin = U * v.s;
      const left = margin + (this.railed ? RAIL_W : 0); // not behind the row letters' column
      if (cx < left || cx > vp.clientWidth - margin || cy < margin || cy > vp.clientHeight - margin) {
        v.x += vp.clientWidth / 2 - cx;
        v.y += vp.clientHeight / 2 - cy;
        this.apply();
      }
    },
  },
};

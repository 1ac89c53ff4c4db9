// A hold's countdown, ticking in the browser (no message per second); tells the server once as it enters
// its last stretch (warnAt seconds) and once at zero.
export default {
  template: `
    <span class="mm-hold-timer" :class="{ urgent: left > 0 && left <= 60, done: left <= 0 }" role="timer"
          :aria-label="ariaText">
      <i class="material-icons" aria-hidden="true">timer</i><span>{{ text }}</span>
    </span>`,
  props: { seconds: Number, label: String, expired: String, warnAt: Number },
  data() {
    return { left: 0, deadline: 0, handle: null, warned: false };
  },
  computed: {
    clock() {
      const left = Math.max(0, this.left);
      return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    },
    text() {
      return this.left > 0 ? this.clock : this.expired;
    },
    ariaText() {
      return this.left > 0 ? `${this.label} ${this.clock}` : this.expired;
    },
  },
  watch: {
    seconds: {
      handler(value) {
        this.start(value);
      },
      immediate: true,
    },
  },
  unmounted() {
    clearInterval(this.handle);
  },
  methods: {
    start(seconds) {
      clearInterval(this.handle);
      this.deadline = Date.now() + Math.max(0, seconds || 0) * 1000;
      this.warned = false;
      this.tick(false);
      if (this.left > 0) this.handle = setInterval(() => this.tick(true), 500);
    },
    tick(notify) {
      this.left = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
      // Once per countdown, as it enters its last stretch (the seat page offers more time then).
      if (this.warnAt && this.left > 0 && this.left <= this.warnAt && !this.warned) {
        this.warned = true;
        this.$emit("warn");
      }
      if (this.left <= 0) {
        clearInterval(this.handle);
        if (notify) this.$emit("expired");
      }
    },
  },
};

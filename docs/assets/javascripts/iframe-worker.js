/* Bubbleup: lets Material's search run on a site opened from file://.
 *
 * Browsers refuse to start a Web Worker from a file:// page, and Material's search runs in
 * one. Here the worker's script runs in a hidden frame of the page instead, and messages
 * go both ways as they would to a worker. It does nothing on http(s), where workers work.
 *
 * Material's offline plugin adds a shim from a CDN unless a polyfill whose address holds
 * "iframe-worker" is listed: this file's name is that signal, so the site fetches nothing
 * from another origin. Only what Material's search worker uses is provided (no
 * importScripts: the search index is English, which needs no extra language script).
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:") return;

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.waiting = [];
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.tabIndex = -1;
      this.frame.title = "search";
      this.frame.setAttribute("aria-hidden", "true");
      document.documentElement.appendChild(this.frame);
      const scope = this.frame.contentWindow;
      scope.postMessage = (data) => this.receive(data);
      scope.importScripts = () => {
        throw new Error("importScripts is not available in a search opened from file://");
      };
      const script = scope.document.createElement("script");
      script.src = new URL(url, window.location.href).href;
      script.onload = () => {
        const waiting = this.waiting;
        this.waiting = null;
        waiting.forEach((data) => this.deliver(data));
      };
      script.onerror = () => {
        const event = new Event("error");
        this.dispatchEvent(event);
        if (this.onerror) this.onerror(event);
      };
      scope.document.head.appendChild(script);
      this.scope = scope;
    }

    receive(data) {
      const event = new MessageEvent("message", { data: data });
      this.dispatchEvent(event);
      if (this.onmessage) this.onmessage(event);
    }

    deliver(data) {
      this.scope.dispatchEvent(new this.scope.MessageEvent("message", { data: data }));
    }

    postMessage(data) {
      if (this.waiting) this.waiting.push(data);
      else this.deliver(data);
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.Worker = FrameWorker;
})();

// Redoc's sidebar shows Redocly's logo from their CDN. The portal loads nothing from outside, and its
// Content-Security-Policy would refuse the image (a reported violation): Redoc gets an empty image instead.
(function () {
  "use strict";
  const EMPTY = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
  const outside = (value) =>
    typeof value === "string" && /^(https?:)?\/\//i.test(value) && !value.startsWith(location.origin + "/");

  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && outside(value)) {
      value = EMPTY;
    }
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      src.set.call(this, outside(value) ? EMPTY : value);
    },
  });
})();

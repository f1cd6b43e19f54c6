/**
 * What openapi-fetch builds requests with in the SDK: the URL and init as a plain object, so that no `Request` is
 * constructed per push (that alone costs about a quarter of a local round trip in Node). The SDK's clients have no
 * middleware, the only other reader of the request; core's fetch hands the object to fetch as `(url, init)`.
 */
export class PlainRequest {
  readonly url: string;
  constructor(url: string, init: RequestInit) {
    Object.assign(this, init);
    this.url = url;
  }
}

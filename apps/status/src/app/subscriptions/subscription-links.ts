/**
 * The links in subscription mail: confirm (7 days) and unsubscribe (ten years: a link in an
 * old mail should still work). Both are `@orcest/http` SignedValues with their own purpose,
 * so one is never the other, and carry only the subscriber's id. Following a link shows a
 * page with a button; only the button's POST changes anything, so mail scanners that fetch
 * every link neither confirm nor unsubscribe anyone.
 */
import { hasStringFields, SignedValues } from '@orcest/http';

const CONFIRM = 'status.subscription-confirm';
const UNSUBSCRIBE = 'status.unsubscribe';
const CONFIRM_TTL_MS = 7 * 86_400_000;
const UNSUBSCRIBE_TTL_MS = 3650 * 86_400_000;
const isLink = hasStringFields('s');

export class SubscriptionLinks {
  private readonly signer: SignedValues;

  constructor(
    secret: string,
    private readonly baseUrl: string,
  ) {
    this.signer = new SignedValues(secret);
  }

  confirmUrl(subscriberId: string, now: number): string {
    return `${this.baseUrl}/subscribe/confirm?token=${encodeURIComponent(this.signer.sign(CONFIRM, { s: subscriberId }, CONFIRM_TTL_MS, now))}`;
  }

  unsubscribeUrl(subscriberId: string, now: number): string {
    return `${this.baseUrl}/subscribe/unsubscribe?token=${encodeURIComponent(this.signer.sign(UNSUBSCRIBE, { s: subscriberId }, UNSUBSCRIBE_TTL_MS, now))}`;
  }

  /** The subscriber id a confirm token names, or undefined (expired, forged, another purpose). */
  confirmed(token: string | undefined, now: number): string | undefined {
    return this.signer.verify(CONFIRM, token, now, isLink)?.s;
  }

  unsubscribed(token: string | undefined, now: number): string | undefined {
    return this.signer.verify(UNSUBSCRIBE, token, now, isLink)?.s;
  }
}

/**
 * People subscribe from the public pages: `POST /subscribe` with `email` or `webhook_url` and
 * optional `components` (repeated); the confirm and unsubscribe links lead to a page with a
 * button whose POST does it. Unknown or expired tokens get a readable page, never a 500.
 */
import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { InvalidInputError } from '../errors';
import { confirmPage, donePage, emailPendingPage, unsubscribePage, webhookCreatedPage } from '../pages/subscribe-pages';
import { StatusContext } from '../status-context';

type Form = Record<string, string | string[] | undefined>;

@Controller('subscribe')
export class SubscribeController {
  constructor(@Inject(StatusContext) private readonly context: StatusContext) {}

  @Post()
  async subscribe(@Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    const email = field(form, 'email');
    const webhook = field(form, 'webhook_url');
    const components = list(form, 'components');
    // Components named on the page are known even before anyone opened /admin.
    const snapshot = await this.context.summary.snapshot();
    this.context.rememberComponents(snapshot.components.map((c) => c.id));
    if (email && webhook) throw new InvalidInputError('Give an email or a webhook_url, not both.', 'email');
    if (email) {
      await this.context.subscriptions.subscribeEmail(email, components);
      html(reply.code(202), emailPendingPage(email.trim().toLowerCase()));
      return;
    }
    if (webhook) {
      const created = await this.context.subscriptions.subscribeWebhook(webhook, components);
      html(reply.code(201), webhookCreatedPage(created.url, created.secret, this.context.links.unsubscribeUrl(created.id, this.context.clock.now())));
      return;
    }
    throw new InvalidInputError('email or webhook_url is required.', 'email');
  }

  @Get('confirm')
  async confirmLink(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const id = this.context.links.confirmed(token, this.context.clock.now());
    const subscriber = id ? await this.context.prisma.statusSubscriber.findUnique({ where: { id } }) : null;
    html(reply.code(subscriber ? 200 : 404), confirmPage(token ?? '', subscriber?.target));
  }

  @Post('confirm')
  @HttpCode(200)
  async confirm(@Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    const id = this.context.links.confirmed(field(form, 'token'), this.context.clock.now());
    if (!id) return html(reply.code(404), confirmPage('', undefined));
    const { target } = await this.context.subscriptions.confirm(id);
    html(reply, donePage('Subscribed', `${target} will receive notifications. Every mail has an unsubscribe link.`));
  }

  @Get('unsubscribe')
  unsubscribeLink(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    const id = this.context.links.unsubscribed(token, this.context.clock.now());
    html(reply.code(id ? 200 : 404), unsubscribePage(token ?? '', id !== undefined));
  }

  @Post('unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    const id = this.context.links.unsubscribed(field(form, 'token'), this.context.clock.now());
    if (!id) return html(reply.code(404), unsubscribePage('', false));
    await this.context.subscriptions.unsubscribe(id);
    html(reply, donePage('Unsubscribed', 'You will receive no more notifications from this subscription.'));
  }
}

function field(form: Form | undefined, key: string): string {
  const value = form?.[key];
  return (Array.isArray(value) ? value[0] : value ?? '').trim();
}

function list(form: Form | undefined, key: string): string[] {
  const value = form?.[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function html(reply: FastifyReply, body: string): void {
  void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

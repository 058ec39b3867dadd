/**
 * /admin and the sign-in round trip. Every admin page and form requires an admin session;
 * every form also its CSRF token. Successful posts redirect back to /admin (303), so a reload
 * never posts twice.
 */
import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, NotSignedInError } from '../errors';
import { renderAdmin, renderMessagePage } from '../pages/admin-page';
import { StatusContext } from '../status-context';

type Form = Record<string, string | string[] | undefined>;

@Controller()
export class AdminController {
  constructor(@Inject(StatusContext) private readonly context: StatusContext) {}

  @Get('admin')
  async admin(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.context.auth.requireAdmin(req.headers.cookie);
    const snapshot = await this.context.summary.snapshot();
    this.context.rememberComponents(snapshot.components.map((c) => c.id));
    const [incidents, maintenances] = await Promise.all([this.context.incidents.recent(50), this.context.incidents.recentMaintenances(20)]);
    html(reply, renderAdmin({ pageName: this.context.config.page.name, session, components: snapshot.components, writer: this.context.writer.stats(), incidents, maintenances, now: this.context.clock.now() }));
  }

  @Get('admin/login')
  async login(@Res() reply: FastifyReply): Promise<void> {
    const { location, setCookie } = await this.context.auth.beginSignIn();
    void reply.header('set-cookie', setCookie).header('cache-control', 'no-store').redirect(location, 302);
  }

  @Get('auth/callback')
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const url = new URL(req.url, this.context.config.server.baseUrl);
    if (url.searchParams.has('error')) {
      html(reply.code(401), renderMessagePage('Sign-in failed', `Login SSO said: ${url.searchParams.get('error_description') ?? url.searchParams.get('error')}`, { href: '/admin/login', label: 'Try again' }));
      return;
    }
    const { setCookies } = await this.context.auth.completeSignIn(url, req.headers.cookie);
    void reply.header('set-cookie', setCookies).redirect('/admin', 303);
  }

  @Post('admin/logout')
  logout(@Req() req: FastifyRequest, @Body() form: Form | undefined, @Res() reply: FastifyReply): void {
    // Signing out needs the session and its CSRF token, not Login's word: it works while Login is down.
    const session = this.context.auth.session(req.headers.cookie);
    if (!session) throw new NotSignedInError();
    this.context.auth.checkCsrf(session, field(form, 'csrf'));
    void reply.header('set-cookie', this.context.auth.signOutCookie()).redirect('/', 303);
  }

  @Post('admin/incidents')
  async createIncident(@Req() req: FastifyRequest, @Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.authorize(req, form);
    await this.context.incidents.create(
      { name: field(form, 'name'), status: field(form, 'status') || 'investigating', impact: field(form, 'impact') || 'minor', body: field(form, 'body'), componentIds: list(form, 'component_ids') },
      new Date(this.context.clock.now()),
    );
    this.done(reply);
  }

  @Post('admin/incidents/:id/updates')
  async addUpdate(@Param('id') id: string, @Req() req: FastifyRequest, @Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.authorize(req, form);
    await this.context.incidents.addUpdate(id, { status: field(form, 'status'), body: field(form, 'body') }, new Date(this.context.clock.now()));
    this.done(reply);
  }

  @Post('admin/maintenances')
  async createMaintenance(@Req() req: FastifyRequest, @Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.authorize(req, form);
    await this.context.incidents.createMaintenance(
      { name: field(form, 'name'), body: field(form, 'body'), componentIds: list(form, 'component_ids'), scheduledFor: utcDate(field(form, 'scheduled_for'), 'scheduled_for'), scheduledUntil: utcDate(field(form, 'scheduled_until'), 'scheduled_until') },
      new Date(this.context.clock.now()),
    );
    this.done(reply);
  }

  @Post('admin/maintenances/:id/complete')
  async completeMaintenance(@Param('id') id: string, @Req() req: FastifyRequest, @Body() form: Form | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.authorize(req, form);
    await this.context.incidents.completeMaintenance(id, new Date(this.context.clock.now()));
    this.done(reply);
  }

  private async authorize(req: FastifyRequest, form: Form | undefined): Promise<void> {
    const session = await this.context.auth.requireAdmin(req.headers.cookie);
    this.context.auth.checkCsrf(session, field(form, 'csrf'));
  }

  private done(reply: FastifyReply): void {
    this.context.summary.invalidate();
    void reply.redirect('/admin', 303);
  }
}

function html(reply: FastifyReply, body: string): void {
  void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function field(form: Form | undefined, name: string): string {
  const value = form?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
}

function list(form: Form | undefined, name: string): string[] {
  const value = form?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** `datetime-local` inputs carry no zone; the form says UTC. ISO strings with a zone are taken as they are. */
function utcDate(value: string, name: string): Date {
  if (!value) throw new InvalidInputError(`${name} is required.`, name);
  const withZone = /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`;
  const date = new Date(withZone);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${name} is not a date and time.`, name);
  return date;
}

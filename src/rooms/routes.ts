import { Router, type Request } from 'express';
import { REGIONS } from '../accounts/roles.ts';
import { currentUser } from '../http/current-user.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin } from '../http/guards.ts';
import { Status } from '../http/status.ts';
import { singleUpload, uploadedFile } from '../http/upload.ts';
import { parse } from '../http/validate.ts';
import { COMMUNITY_FILE_MAX_BYTES } from '../community/files.ts';
import { forbidden } from '../shared/errors.ts';
import { berlinLocalInput, formatDateTime } from '../qualification/format.ts';
import { adminRoutes } from './admin-routes.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { COMPANY_SIZES, DATE_MODES } from './model.ts';
import type { Room } from './repository.ts';
import {
  attendanceSchema,
  dateParamsSchema,
  inviteSchema,
  linkActionSchema,
  linkMaterialSchema,
  materialParamsSchema,
  MAX_DATES,
  MIN_DATES,
  moduleMaterialSchema,
  registrationActionSchema,
  resultSchema,
  roomFormSchema,
  roomParamsSchema,
  uploadTitleSchema,
} from './schemas.ts';
import type { RoomsService } from './service.ts';

const BASE = '/experimentierraeume';
const roomUrl = (id: string, rest = '') => `${BASE}/${id}${rest}`;

/** The form's rows: the room's dates, then empty rows up to at least MIN_DATES + 2. */
function formValues(room?: Room, coModeratorEmails = '') {
  const rows = (room?.dates ?? []).map((d) => ({ key: d.key, startsAt: berlinLocalInput(d.startsAt), mode: d.mode, place: d.place }));
  return {
    ...(room ?? {}),
    capacity: room ? String(room.capacity) : '',
    coModeratorEmails,
    experts: (room?.experts ?? []).map((e) => [e.name, e.field, e.email].filter(Boolean).join('; ')).join('\n'),
    dates: rows,
  };
}
const formLocals = (req: Request, extra: object) => ({
  regions: REGIONS,
  sizes: COMPANY_SIZES,
  modes: DATE_MODES,
  minDates: MIN_DATES,
  rowCount: (values: { dates?: unknown[] }) => Math.min(MAX_DATES, Math.max(MIN_DATES + 2, (values.dates?.length ?? 0) + 1)),
  formatDateTime,
  ...extra,
  title: req.t((extra as { editing?: boolean }).editing ? 'rooms:form.editTitle' : 'rooms:form.newTitle'),
});

/** Pages and JSON of the Experimentierräume: the room's pages, its dates, board, materials and invitations. */
export function roomRoutes(s: RoomsService): Router {
  const r = Router();
  r.use(invitationRoutes(s));
  r.use([BASE, `/api${BASE}`], requireLogin);
  r.use(adminRoutes(s));

  r.get(BASE, async (req, res) => {
    const viewer = currentUser(req);
    const [rows, canOpen] = await Promise.all([s.rooms.mine(viewer), s.rooms.canOpen(viewer)]);
    res.render('rooms/list', { title: req.t('rooms:list.title'), rows, canOpen, formatDateTime });
  });
  r.get(`/api${BASE}`, async (req, res) => {
    const rows = await s.rooms.mine(currentUser(req));
    res.json({
      rooms: rows.map((x) => ({ id: x.room.id, title: x.room.title, role: x.role, status: x.status, datesHeld: x.datesHeld, participants: x.participants })),
    });
  });

  r.get(`${BASE}/neu`, async (req, res) => {
    if (!(await s.rooms.canOpen(currentUser(req)))) throw forbidden('rooms:errors.notCertified');
    res.render('rooms/form', formLocals(req, { values: formValues(), action: BASE }));
  });
  r.post(BASE, (req, res) =>
    submitForm(req, res, {
      view: 'rooms/form',
      schema: roomFormSchema,
      locals: formLocals(req, { action: BASE }),
      action: async (input) => {
        const room = await s.rooms.open(currentUser(req), input);
        req.flash('success', req.t('rooms:flash.opened', { title: room.title }));
        res.redirect(Status.SEE_OTHER, roomUrl(room.id));
      },
    }),
  );

  r.get(`${BASE}/:id`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const d = await s.detail.show(currentUser(req), id);
    res.render('rooms/detail', { title: d.room.title, d, formatDateTime });
  });
  r.get(`/api${BASE}/:id`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const d = await s.detail.show(currentUser(req), id);
    // the link's token and the experts' addresses are for the leads
    const { linkToken: _t, ...room } = d.room;
    const experts = d.role === 'lead' ? room.experts : room.experts.map(({ name, field }) => ({ name, field }));
    res.json({ room: { ...room, experts }, role: d.role, status: d.status, dates: d.dates, participants: d.participants });
  });

  r.get(`${BASE}/:id/bearbeiten`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const { room, coModeratorEmails } = await s.rooms.forEdit(currentUser(req), id);
    res.render('rooms/form', formLocals(req, { values: formValues(room, coModeratorEmails), action: roomUrl(id, '/bearbeiten'), editing: true, roomId: id }));
  });
  r.post(`${BASE}/:id/bearbeiten`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    await submitForm(req, res, {
      view: 'rooms/form',
      schema: roomFormSchema,
      locals: formLocals(req, { action: roomUrl(id, '/bearbeiten'), editing: true, roomId: id }),
      action: async (input) => {
        await s.rooms.update(currentUser(req), id, input);
        req.flash('success', req.t('rooms:flash.saved'));
        res.redirect(Status.SEE_OTHER, roomUrl(id));
      },
    });
  });
  r.post(`${BASE}/:id/abschliessen`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    await s.rooms.finish(currentUser(req), id);
    req.flash('success', req.t('rooms:flash.finished'));
    res.redirect(Status.SEE_OTHER, roomUrl(id));
  });

  // dates: listed on the room's page; registration (participants), attendance (leads)
  r.get(`${BASE}/:id/termine`, (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    res.redirect(roomUrl(id, '#dates-heading'));
  });
  r.post(`${BASE}/:id/termine/:dateKey/anmeldung`, async (req, res) => {
    const { id, dateKey } = parse(dateParamsSchema, req.params);
    const { action } = parse(registrationActionSchema, req.body);
    await s.dates.setRegistration(currentUser(req), id, dateKey, action === 'register');
    req.flash('success', req.t(action === 'register' ? 'rooms:flash.registered' : 'rooms:flash.unregistered'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, `#termin-${dateKey}`));
  });
  r.get(`${BASE}/:id/termine/:dateKey/anwesenheit`, async (req, res) => {
    const { id, dateKey } = parse(dateParamsSchema, req.params);
    const sheet = await s.dates.attendanceSheet(currentUser(req), id, dateKey);
    res.render('rooms/attendance', { title: req.t('rooms:attendance.title', { number: sheet.number }), sheet, formatDateTime });
  });
  r.post(`${BASE}/:id/termine/:dateKey/anwesenheit`, async (req, res) => {
    const { id, dateKey } = parse(dateParamsSchema, req.params);
    const { attended } = parse(attendanceSchema, req.body);
    const { finished } = await s.dates.recordAttendance(currentUser(req), id, dateKey, attended);
    req.flash('success', req.t(finished ? 'rooms:flash.attendanceFinished' : 'rooms:flash.attendance'));
    res.redirect(Status.SEE_OTHER, roomUrl(id));
  });

  // the results board
  r.get(`${BASE}/:id/ergebnisse`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const board = await s.board.of(currentUser(req), id);
    res.render('rooms/results', { title: req.t('rooms:results.title'), board, formatDateTime });
  });
  r.post(`${BASE}/:id/ergebnisse/:dateKey`, async (req, res) => {
    const { id, dateKey } = parse(dateParamsSchema, req.params);
    const input = parse(resultSchema, req.body);
    await s.board.save(currentUser(req), id, dateKey, input);
    req.flash('success', req.t('rooms:flash.resultSaved'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, `/ergebnisse#ergebnis-${dateKey}`));
  });

  // materials
  r.get(`${BASE}/:id/materialien`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const m = await s.materials.list(currentUser(req), id);
    res.render('rooms/materials', { title: req.t('rooms:materials.title'), m, maxMb: COMMUNITY_FILE_MAX_BYTES / 1024 / 1024 });
  });
  r.post(`${BASE}/:id/materialien/links`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    await s.materials.addLink(currentUser(req), id, parse(linkMaterialSchema, req.body));
    req.flash('success', req.t('rooms:flash.materialAdded'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, '/materialien'));
  });
  r.post(`${BASE}/:id/materialien/module`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    await s.materials.addModule(currentUser(req), id, parse(moduleMaterialSchema, req.body).slug);
    req.flash('success', req.t('rooms:flash.materialAdded'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, '/materialien'));
  });
  // multipart: the CSRF token in the query (the body is parsed only by multer)
  r.post(`${BASE}/:id/materialien/dateien`, singleUpload({ field: 'file', maxBytes: COMMUNITY_FILE_MAX_BYTES }), async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const { title } = parse(uploadTitleSchema, req.body ?? {});
    await s.materials.upload(currentUser(req), id, title, uploadedFile(req, 'file', 'rooms:errors.noFile'));
    req.flash('success', req.t('rooms:flash.materialAdded'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, '/materialien'));
  });
  r.post(`${BASE}/:id/materialien/:materialId/loeschen`, async (req, res) => {
    const { id, materialId } = parse(materialParamsSchema, req.params);
    await s.materials.remove(currentUser(req), id, materialId);
    req.flash('success', req.t('rooms:flash.materialRemoved'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, '/materialien'));
  });

  // invitations (leads)
  r.get(`${BASE}/:id/einladungen`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const inv = await s.invitations.invitationsOf(currentUser(req), id);
    res.render('rooms/invitations', { title: req.t('rooms:invitations.title'), inv, formatDateTime });
  });
  r.post(`${BASE}/:id/einladungen`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    // read first: a refusal of the page itself (not a lead) is an error page, not the form again
    const inv = await s.invitations.invitationsOf(currentUser(req), id);
    await submitForm(req, res, {
      view: 'rooms/invitations',
      schema: inviteSchema,
      locals: { title: req.t('rooms:invitations.title'), inv, formatDateTime },
      action: async ({ emails }) => {
        const sent = await s.invitations.inviteByMail(currentUser(req), id, emails);
        req.flash('success', req.t('rooms:flash.invited', { count: sent }));
        res.redirect(Status.SEE_OTHER, roomUrl(id, '/einladungen'));
      },
    });
  });
  r.post(`${BASE}/:id/einladungen/link`, async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const { action } = parse(linkActionSchema, req.body);
    await s.invitations.setLink(currentUser(req), id, action);
    req.flash('success', req.t(action === 'renew' ? 'rooms:flash.linkRenewed' : 'rooms:flash.linkClosed'));
    res.redirect(Status.SEE_OTHER, roomUrl(id, '/einladungen'));
  });
  return r;
}

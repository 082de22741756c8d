import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { VOLUNTEER_FORM_PREFIX, VolunteerFormPage } from './volunteers/volunteer-form-page.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The volunteer form is public: it is rendered on its own, without the admin's login and layout.
const path = window.location.pathname;
const page = path.startsWith(VOLUNTEER_FORM_PREFIX) ? (
  <VolunteerFormPage token={decodeURIComponent(path.slice(VOLUNTEER_FORM_PREFIX.length))} />
) : (
  <App />
);

createRoot(root).render(<StrictMode>{page}</StrictMode>);

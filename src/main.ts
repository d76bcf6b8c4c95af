import { mount } from 'svelte';
import App from './ui/app.svelte';
import './ui/tokens.css';

mount(App, { target: document.getElementById('app')! });

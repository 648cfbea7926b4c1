"""ganlab: the helper package of the GAN course.

Modules: runtime (profile, device, seeds, banner), data, nets, losses, train, plots, lessons,
theory, metrics, widgets. A notebook shows the code it teaches; it imports the rest from here.
"""
from .runtime import banner, budget, device, profile, seed_everything, start, train_steps

__version__ = "0.1.0"
__all__ = ["banner", "budget", "device", "profile", "seed_everything", "start", "train_steps", "__version__"]
